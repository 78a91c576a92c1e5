package dev.realtime.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisBrokerBuilderTest {
    @Test
    void acceptsRedisAndRedissUris() {
        assertThat(RedisBroker.connect("redis://127.0.0.1:6379").toString()).contains("redis://127.0.0.1:6379");
        assertThat(RedisBroker.connect("redis://localhost").toString()).contains("redis://localhost:6379");
        assertThat(RedisBroker.connect("rediss://user:p%40ss:word@redis.internal:6380/3").toString())
                .contains("rediss://redis.internal:6380/3").doesNotContain("p%40ss").doesNotContain("user");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> RedisBroker.builder().uri("http://host/x").publishQueueCapacity(0)
                .reconnectDelay(Duration.ofSeconds(5), Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scheme must be redis or rediss")
                .hasMessageContaining("database number")
                .hasMessageContaining("publishQueueCapacity")
                .hasMessageContaining("reconnectDelay");
    }

    @Test
    void requiresAUri() {
        assertThatThrownBy(() -> RedisBroker.builder().build()).hasMessageContaining("uri is required");
        assertThatThrownBy(() -> RedisBroker.connect("redis:///0")).hasMessageContaining("no host");
    }
}
