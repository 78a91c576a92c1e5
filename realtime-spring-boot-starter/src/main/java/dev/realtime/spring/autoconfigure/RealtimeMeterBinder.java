package dev.realtime.spring.autoconfigure;

import dev.realtime.Realtime;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The node's counts as Micrometer gauges: {@code realtime.connections}, {@code realtime.channels}, {@code realtime.subscriptions}, tagged with the node id. */
final class RealtimeMeterBinder implements MeterBinder {
    private final Realtime realtime;

    RealtimeMeterBinder(Realtime realtime) {
        this.realtime = realtime;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String node = realtime.nodeId();
        Gauge.builder("realtime.connections", realtime, r -> r.stats().connections())
                .description("Open connections on this node").tag("node", node).register(registry);
        Gauge.builder("realtime.channels", realtime, r -> r.stats().channels())
                .description("Channels with a subscriber on this node").tag("node", node).register(registry);
        Gauge.builder("realtime.subscriptions", realtime, r -> r.stats().subscriptions())
                .description("Subscriptions of this node's connections").tag("node", node).register(registry);
    }
}
