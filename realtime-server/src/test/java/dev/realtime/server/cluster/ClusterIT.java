package dev.realtime.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.spi.NodeRunner;
import dev.realtime.spi.BrokerServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Two standalone nodes ({@code realtime-server.jar}, started with the README's command plus
 * {@code --broker} and {@code --node-id}) per broker — Redis, RabbitMQ, NATS — driven by the real
 * pusher-js, laravel-echo and {@code pusher} SDK from Node ({@code src/test/node/cluster/}): what one
 * node's clients do is seen by the other's, and the cluster survives broker outages shorter and longer
 * than the node timeout, a node paused with SIGSTOP past it, stopped with SIGTERM and killed with
 * SIGKILL. Each Node test becomes one JUnit test, named after the broker; the nodes' logs are in
 * {@code target/cluster-it/<broker>/}.
 *
 * <p>The nodes run with a 500 ms heartbeat and a 2 s node timeout, so that the fault tests take
 * seconds. A broker whose server cannot be had skips its tests with a message (fails under
 * {@code CI=true}): Redis and NATS need {@code redis-server} / {@code nats-server} on the PATH (the
 * test starts a private one on a free port, to stop and start it), RabbitMQ the server on
 * 127.0.0.1:5672 and {@code rabbitmqctl} (the test works in a virtual host of its own).
 */
class ClusterIT {
    static final Duration HEARTBEAT = Duration.ofMillis(500);
    static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);
    private static final List<String> FILES = List.of("cluster/cluster.test.mjs", "cluster/faults.test.mjs");

    @TestFactory
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    Stream<DynamicTest> redis() throws Exception {
        return run(ClusterBroker.redis());
    }

    @TestFactory
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    Stream<DynamicTest> rabbitMq() throws Exception {
        return run(ClusterBroker.rabbitMq());
    }

    @TestFactory
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    Stream<DynamicTest> nats() throws Exception {
        return run(ClusterBroker.nats());
    }

    /** Starts nodes a and b on {@code broker}, runs the Node cluster suite against them, stops everything. */
    private static Stream<DynamicTest> run(ClusterBroker broker) throws Exception {
        assertThat(StandaloneNode.JAR).as("run after package").exists();
        Path logs = Path.of("target", "cluster-it", broker.name());
        ClusterApp app = ClusterApp.IT;
        Map<String, StandaloneNode> nodes = new LinkedHashMap<>();
        try {
            for (String id : List.of("a", "b")) {
                nodes.put(id, new StandaloneNode(broker.name() + "-" + id, BrokerServers.freePort(), broker.uri(), app,
                        HEARTBEAT, NODE_TIMEOUT, logs));
            }
            for (StandaloneNode n : nodes.values()) {
                n.start();
            }
            try (ClusterControl control = new ClusterControl(nodes, broker)) {
                Map<String, String> env = Map.ofEntries(
                        Map.entry("REALTIME_BROKER", broker.name()),
                        Map.entry("REALTIME_NODE_A_PORT", String.valueOf(nodes.get("a").port())),
                        Map.entry("REALTIME_NODE_B_PORT", String.valueOf(nodes.get("b").port())),
                        Map.entry("REALTIME_APP_ID", app.id()),
                        Map.entry("REALTIME_APP_KEY", app.key()),
                        Map.entry("REALTIME_APP_SECRET", app.secret()),
                        Map.entry("REALTIME_CONTROL_URL", control.url()),
                        Map.entry("REALTIME_HEARTBEAT_INTERVAL_MS", String.valueOf(HEARTBEAT.toMillis())),
                        Map.entry("REALTIME_NODE_TIMEOUT_MS", String.valueOf(NODE_TIMEOUT.toMillis())),
                        // what ../helpers.mjs (whose waiting helpers the cluster tests share) asks for: node a
                        Map.entry("REALTIME_PORT", String.valueOf(nodes.get("a").port())),
                        Map.entry("REALTIME_ACTIVITY_TIMEOUT", "30"));
                // the results are collected before the nodes stop: the stream is a list underneath
                return NodeRunner.run("cluster-" + broker.name(), FILES, env, 4).toList().stream();
            }
        } finally {
            for (StandaloneNode n : nodes.values()) {
                n.close();
            }
            broker.close();
        }
    }
}
