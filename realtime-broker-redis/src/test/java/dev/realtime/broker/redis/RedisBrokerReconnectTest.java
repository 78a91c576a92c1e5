package dev.realtime.broker.redis;

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
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/** Outages against a private redis-server this class starts, stops and starts again. */
class RedisBrokerReconnectTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String ROOM = "channel.presence-room.1";
    private static ServerProcess server;

    private final List<TestNode> nodes = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        BrokerServers.requireCommand("redis-server", "apt-get install redis-server");
        int port = BrokerServers.freePort();
        server = new ServerProcess("redis", port, List.of(BrokerServers.executable("redis-server"), "--port",
                String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
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
        TestNode n = TestNode.start(name, RedisBroker.builder().uri("redis://127.0.0.1:" + server.port())
                .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500)).pingInterval(Duration.ofMillis(200))
                .build());
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
        assertThat(b.listener().receivedText(ROOM)).as("nothing queued while down").containsExactly("after");
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

    @Test
    void aKilledSubscriberConnectionIsAnOutageToo() {
        TestNode a = node("a");
        TestNode b = node("b");
        b.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM), TIMEOUT, b);

        try (Jedis admin = new Jedis("127.0.0.1", server.port())) {
            admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
        }
        a.listener().awaitEvent("up", 1, TIMEOUT); // a's keepalive subscription was killed as well
        b.listener().awaitEvent("up", 1, TIMEOUT);
        a.publish(ROOM, "after");

        b.listener().awaitReceived(ROOM, "after".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(b.listener().events()).containsExactly("down", "up");
    }
}
