package dev.realtime.spring.autoconfigure;

import dev.realtime.NodeStats;
import dev.realtime.Realtime;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Actuator health {@code realtime}: up while the transports run and, in a cluster, the broker connection
 * is up; with the node's counts. A node cut off from its broker still serves its own clients, but events
 * and presence no longer cross nodes, which is what a load balancer should hear.
 */
final class RealtimeHealthIndicator extends AbstractHealthIndicator {
    private final Realtime realtime;
    private final RealtimeTransports transports;

    RealtimeHealthIndicator(Realtime realtime, RealtimeTransports transports) {
        super("realtime health check failed");
        this.realtime = realtime;
        this.transports = transports;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        NodeStats stats = realtime.stats();
        boolean transportsUp = transports == null || transports.isRunning();
        boolean up = transportsUp && stats.brokerConnected();
        (up ? builder.up() : builder.down())
                .withDetail("node", realtime.nodeId())
                .withDetail("transports", transports == null ? java.util.List.of() : transports.names())
                .withDetail("transportsRunning", transportsUp)
                .withDetail("broker", !stats.clustered() ? "none" : stats.brokerConnected() ? "up" : "down")
                .withDetail("connections", stats.connections())
                .withDetail("channels", stats.channels())
                .withDetail("subscriptions", stats.subscriptions());
    }
}
