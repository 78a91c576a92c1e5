package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerListener;
import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.TestClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Two nodes in one JVM over an in-process bus: the Broker SPI as the cluster will use it. */
class ClusterBridgeTest extends RealtimeTestSupport {

    /** A broker that delivers synchronously to every subscribed node, the publisher included. */
    static final class Bus {
        final List<Node> nodes = new CopyOnWriteArrayList<>();
        final List<String> published = new CopyOnWriteArrayList<>();

        Broker node() {
            Node n = new Node();
            nodes.add(n);
            return n;
        }

        final class Node implements Broker {
            BrokerListener listener;
            final Set<String> topics = ConcurrentHashMap.newKeySet();

            @Override public void start(BrokerListener l) { listener = l; }
            @Override public void publish(String topic, byte[] envelope) {
                published.add(topic);
                for (Node n : nodes) {
                    if (n.topics.contains(topic)) {
                        n.listener.onMessage(topic, envelope);
                    }
                }
            }
            @Override public void subscribe(String topic) { topics.add(topic); }
            @Override public void unsubscribe(String topic) { topics.remove(topic); }
            @Override public void close() { nodes.remove(this); }
        }
    }

    private static void awaitTopic(Bus.Node node, String topic, boolean present) throws InterruptedException {
        for (int i = 0; i < 500 && node.topics.contains(topic) != present; i++) {
            Thread.sleep(5);
        }
        assertThat(node.topics.contains(topic)).as(topic).isEqualTo(present);
    }

    @Test
    void broadcastOnOneNodeReachesSubscribersOnAnotherExactlyOnce() throws Exception {
        Bus bus = new Bus();
        InMemoryTransport m1 = new InMemoryTransport();
        InMemoryTransport m2 = new InMemoryTransport();
        Broker b1 = bus.node();
        Broker b2 = bus.node();
        try (Realtime n1 = builder(m1).nodeId("n1").broker(b1).build();
             Realtime n2 = builder(m2).nodeId("n2").broker(b2).build()) {
            TestClient local = m1.connect().subscribe("news");
            TestClient remote = m2.connect().subscribe("news");
            awaitTopic((Bus.Node) b2, "channel.news", true);
            awaitTopic((Bus.Node) b1, "channel.news", true);
            n1.broadcast("news", "e", Map.of("n", 1));
            local.awaitEvent("news", "e");
            remote.awaitEvent("news", "e");
            assertThat(local.events("news").stream().filter(f -> f.event().equals("e"))).as("own envelope ignored").hasSize(1);

            TestClient sender = m2.connect(ALICE).subscribe("private-chat");
            TestClient peer = m1.connect(BOB).subscribe("private-chat");
            awaitTopic((Bus.Node) b1, "channel.private-chat", true);
            sender.trigger("private-chat", "client-hi", "x");
            peer.awaitEvent("private-chat", "client-hi");
            assertThat(sender.received("private-chat", "client-hi")).isFalse();

            TestClient user = m2.connect(CAROL).signin();
            awaitTopic((Bus.Node) b2, "user.3", true);
            n1.sendToUser("3", "note", "x");
            user.awaitUserEvent("note");

            remote.unsubscribe("news");
            awaitTopic((Bus.Node) b2, "channel.news", false);
            assertThat(((Bus.Node) b1).topics).contains("control");
        }
    }
}
