package dev.realtime.broker.rabbitmq;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerProvider;
import java.util.Set;

/** Lets {@code --broker} and {@code RealtimeBuilder.broker(String)} pick {@link RabbitMqBroker} by URI scheme. */
public final class RabbitMqBrokerProvider implements BrokerProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("amqp", "amqps");
    }

    @Override
    public Broker create(String uri) {
        return RabbitMqBroker.connect(uri);
    }
}
