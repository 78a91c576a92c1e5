package dev.realtime.broker.redis;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerProvider;
import java.util.Set;

/** Lets {@code --broker} and {@code RealtimeBuilder.broker(String)} pick {@link RedisBroker} by URI scheme. */
public final class RedisBrokerProvider implements BrokerProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss");
    }

    @Override
    public Broker create(String uri) {
        return RedisBroker.connect(uri);
    }
}
