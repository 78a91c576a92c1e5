package dev.realtime.broker.nats;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerContract;
import dev.realtime.spi.BrokerServers;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;

/** The broker contract against the NATS server at 127.0.0.1:4222; each test under its own subject prefix. */
class NatsBrokerContractTest extends BrokerContract {
    private final String prefix = "realtime-test-" + UUID.randomUUID();

    @BeforeAll
    static void requireNats() {
        BrokerServers.require("NATS", "127.0.0.1", 4222, "nats-server -a 127.0.0.1 -p 4222 & (or bash .ci/run)");
    }

    @Override
    protected Broker newBroker() {
        return NatsBroker.builder().uri("nats://127.0.0.1:4222").subjectPrefix(prefix).build();
    }
}
