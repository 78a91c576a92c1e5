package dev.realtime.broker.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerProvider;
import org.junit.jupiter.api.Test;

/** The module is found by URI scheme (ServiceLoader), as {@code --broker} and {@code RealtimeBuilder.broker(String)} find it. */
class NatsBrokerProviderTest {
    @Test
    void theUriSchemePicksThisBroker() {
        Broker broker = BrokerProvider.fromUri("nats://127.0.0.1:4222");
        try {
            assertThat(broker).isInstanceOf(NatsBroker.class);
        } finally {
            broker.close();
        }
    }
}
