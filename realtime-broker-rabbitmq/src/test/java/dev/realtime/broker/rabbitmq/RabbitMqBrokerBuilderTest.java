package dev.realtime.broker.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RabbitMqBrokerBuilderTest {
    @Test
    void acceptsAmqpAndAmqpsUris() {
        assertThat(RabbitMqBroker.connect("amqp://guest:guest@127.0.0.1:5672/%2F").toString())
                .contains("amqp://127.0.0.1:5672//").doesNotContain("guest");
        assertThat(RabbitMqBroker.connect("amqps://app:secret@rabbit.internal/realtime").toString())
                .contains("amqps://rabbit.internal:5671/realtime");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> RabbitMqBroker.builder().uri("redis://host").exchange("amq.topic")
                .publishQueueCapacity(0).heartbeat(Duration.ZERO).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("uri is invalid")
                .hasMessageContaining("exchange must be")
                .hasMessageContaining("publishQueueCapacity")
                .hasMessageContaining("heartbeat");
        assertThatThrownBy(() -> RabbitMqBroker.builder().build()).hasMessageContaining("uri is required");
    }

    @Test
    void topicsAreTheirOwnRoutingKeysUnlessTooLong() {
        assertThat(RoutingKeys.of("channel.private-encrypted-cache-x_y=z@a,b.c;d"))
                .isEqualTo("channel.private-encrypted-cache-x_y=z@a,b.c;d");
        assertThat(RoutingKeys.of("channel.#server-to-user-42")).isEqualTo("channel.#server-to-user-42");
        String longTopic = "user." + "x".repeat(300);
        assertThat(RoutingKeys.of(longTopic)).startsWith("sha256:").hasSize(7 + 64);
        assertThat(RoutingKeys.of("sha256:abc")).isNotEqualTo("sha256:abc").startsWith("sha256:");
        assertThat(RoutingKeys.of("user." + "é".repeat(130))).as("255 bytes, not characters").startsWith("sha256:");
    }
}
