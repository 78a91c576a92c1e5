package dev.realtime.broker.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerProvider;
import org.junit.jupiter.api.Test;

/** The module is found by URI scheme (ServiceLoader), as {@code --broker} and {@code RealtimeBuilder.broker(String)} find it. */
class RabbitMqBrokerProviderTest {
    @Test
    void theUriSchemePicksThisBroker() {
        Broker broker = BrokerProvider.fromUri("amqp://guest:guest@127.0.0.1:5672");
        try {
            assertThat(broker).isInstanceOf(RabbitMqBroker.class);
        } finally {
            broker.close();
        }
    }
}
