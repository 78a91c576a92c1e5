package dev.realtime.broker.rabbitmq;

import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;

/** What {@link RabbitMqBrokerBuilder} validated, for the broker. */
record RabbitMqSettings(ConnectionFactory factory, String exchange, int publishQueueCapacity, Duration timeout,
        Duration reconnectDelayMin, Duration reconnectDelayMax, String connectionName, String display) {
}
