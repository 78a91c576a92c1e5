package dev.realtime.spi;

import dev.realtime.testing.InMemoryBroker;

/** The broker contract against {@link InMemoryBroker}, the reference behaviour. */
class InMemoryBrokerContractTest extends BrokerContract {
    private final InMemoryBroker bus = new InMemoryBroker();

    @Override
    protected Broker newBroker() {
        return bus.node();
    }
}
