package dev.realtime.broker.redis;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerContract;
import dev.realtime.spi.BrokerServers;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;

/** The broker contract against the Redis server at 127.0.0.1:6379; each test in its own channel prefix. */
class RedisBrokerContractTest extends BrokerContract {
    private final String prefix = "realtime-test-" + UUID.randomUUID() + ":";

    @BeforeAll
    static void requireRedis() {
        BrokerServers.require("Redis", "127.0.0.1", 6379,
                "redis-server --port 6379 --save \"\" --appendonly no --daemonize yes (or bash .ci/run)");
    }

    @Override
    protected Broker newBroker() {
        return RedisBroker.builder().uri("redis://127.0.0.1:6379").channelPrefix(prefix).build();
    }
}
