package dev.realtime.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerProvider;
import org.junit.jupiter.api.Test;

/** The module is found by URI scheme (ServiceLoader), as {@code --broker} and {@code RealtimeBuilder.broker(String)} find it. */
class RedisBrokerProviderTest {
    @Test
    void theUriSchemePicksThisBroker() {
        Broker broker = BrokerProvider.fromUri("redis://127.0.0.1:6379");
        try {
            assertThat(broker).isInstanceOf(RedisBroker.class);
        } finally {
            broker.close();
        }
    }
}
