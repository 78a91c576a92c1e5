package dev.realtime.broker.nats;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerProvider;
import java.util.Set;

/** Lets {@code --broker} and {@code RealtimeBuilder.broker(String)} pick {@link NatsBroker} by URI scheme. */
public final class NatsBrokerProvider implements BrokerProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("nats", "tls");
    }

    @Override
    public Broker create(String uri) {
        return NatsBroker.connect(uri);
    }
}
