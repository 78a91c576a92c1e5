package dev.realtime.broker.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.spi.BrokerServers;
import dev.realtime.spi.ServerProcess;
import dev.realtime.spi.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outages against a private nats-server this class starts, stops and starts again. */
class NatsBrokerReconnectTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String ROOM = "channel.presence-room.1";
    private static ServerProcess server;

    private final List<TestNode> nodes = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        BrokerServers.requireCommand("nats-server", "apt-get install nats-server");
        int port = BrokerServers.freePort();
        server = new ServerProcess("nats", port,
                List.of(BrokerServers.executable("nats-server"), "-a", "127.0.0.1", "-p", String.valueOf(port)));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void serverRuns() {
        if (!BrokerServers.reachable("127.0.0.1", server.port())) {
            server.start();
        }
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(TestNode::close);
    }

    private TestNode node(String name) {
        TestNode n = TestNode.start(name, NatsBroker.builder().uri("nats://127.0.0.1:" + server.port())
                .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500)).build());
        nodes.add(n);
        return n;
    }

    @Test
    void resubscribesAfterTheServerRestartsAndDropsWhatWasPublishedMeanwhile() {
        TestNode a = node("a");
        TestNode b = node("b");
        b.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM), TIMEOUT, b);

        server.stop();
        a.listener().awaitEvent("down", 1, TIMEOUT);
        b.listener().awaitEvent("down", 1, TIMEOUT);
        a.publish(ROOM, "while down");
        server.start();
        a.listener().awaitEvent("up", 1, TIMEOUT);
        b.listener().awaitEvent("up", 1, TIMEOUT);
        a.publish(ROOM, "after");

        b.listener().awaitReceived(ROOM, "after".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(b.listener().receivedText(ROOM)).as("nothing buffered while down").containsExactly("after");
        assertThat(a.listener().events()).containsExactly("down", "up");
        assertThat(b.listener().events()).containsExactly("down", "up");
    }

    @Test
    void startsWhileTheServerIsDownAndConnectsWhenItComes() {
        server.stop();
        TestNode a = node("a");
        a.subscribe(ROOM);
        a.listener().awaitEvent("down", 1, TIMEOUT);

        server.start();
        a.listener().awaitEvent("up", 1, TIMEOUT);
        a.publish(ROOM, "hello");

        a.listener().awaitReceived(ROOM, "hello".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(a.listener().events()).containsExactly("down", "up");
    }
}
