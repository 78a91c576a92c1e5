package dev.realtime.broker.rabbitmq;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerContract;
import dev.realtime.spi.BrokerServers;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The broker contract against the RabbitMQ server at 127.0.0.1:5672; each test on its own exchange. */
class RabbitMqBrokerContractTest extends BrokerContract {
    static final String URI = "amqp://guest:guest@127.0.0.1:5672/%2F";
    private final String exchange = RabbitMqAdmin.exchangeForTest();

    @BeforeAll
    static void requireRabbitMq() {
        BrokerServers.require("RabbitMQ", "127.0.0.1", 5672, "rabbitmq-server -detached (or bash .ci/run)");
    }

    @AfterAll
    static void deleteExchanges() {
        RabbitMqAdmin.deleteTestExchanges(URI);
    }

    @Override
    protected Broker newBroker() {
        return RabbitMqBroker.builder().uri(URI).exchange(exchange)
                .connectionName("realtime-contract-test-" + UUID.randomUUID()).build();
    }
}
