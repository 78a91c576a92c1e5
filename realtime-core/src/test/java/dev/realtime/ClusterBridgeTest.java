package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.testing.InMemoryBroker;
import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two nodes in one JVM over the {@link InMemoryBroker}: the Broker SPI as the cluster uses it. */
class ClusterBridgeTest extends RealtimeTestSupport {

    private static void awaitTopic(InMemoryBroker.Node node, String localTopic, boolean present) throws InterruptedException {
        awaitBrokerTopic(node, "app." + APP_ID + "." + localTopic, present); // every topic on the broker is namespaced by the app id
    }

    private static void awaitBrokerTopic(InMemoryBroker.Node node, String topic, boolean present) throws InterruptedException {
        for (int i = 0; i < 500 && node.subscriptions().contains(topic) != present; i++) {
            Thread.sleep(5);
        }
        assertThat(node.subscriptions().contains(topic)).as(topic).isEqualTo(present);
    }

    @Test
    void broadcastOnOneNodeReachesSubscribersOnAnotherExactlyOnce() throws Exception {
        InMemoryBroker bus = new InMemoryBroker();
        InMemoryTransport m1 = new InMemoryTransport();
        InMemoryTransport m2 = new InMemoryTransport();
        InMemoryBroker.Node b1 = bus.node();
        InMemoryBroker.Node b2 = bus.node();
        try (Realtime n1 = builder(m1).nodeId("n1").broker(b1).build();
             Realtime n2 = builder(m2).nodeId("n2").broker(b2).build()) {
            TestClient local = m1.connect().subscribe("news");
            TestClient remote = m2.connect().subscribe("news");
            awaitTopic(b2, "channel.news", true);
            awaitTopic(b1, "channel.news", true);
            n1.broadcast("news", "e", Map.of("n", 1));
            local.awaitEvent("news", "e");
            remote.awaitEvent("news", "e");
            assertThat(local.events("news").stream().filter(f -> f.event().equals("e"))).as("own envelope ignored").hasSize(1);

            TestClient sender = m2.connect(ALICE).subscribe("private-chat");
            TestClient peer = m1.connect(BOB).subscribe("private-chat");
            awaitTopic(b1, "channel.private-chat", true);
            sender.trigger("private-chat", "client-hi", "x");
            peer.awaitEvent("private-chat", "client-hi");
            assertThat(sender.received("private-chat", "client-hi")).isFalse();

            TestClient user = m2.connect(CAROL).signin();
            awaitTopic(b2, "user.3", true);
            n1.sendToUser("3", "note", "x");
            user.awaitUserEvent("note");

            remote.unsubscribe("news");
            awaitTopic(b2, "channel.news", false);
            assertThat(b1.subscriptions()).contains("app." + APP_ID + ".control");
        }
    }

    @Test
    void twoAppsOnOneBrokerNeverSeeEachOthersEvents() throws Exception {
        InMemoryBroker bus = new InMemoryBroker();
        InMemoryTransport m1 = new InMemoryTransport();
        InMemoryTransport m2 = new InMemoryTransport();
        InMemoryTransport m3 = new InMemoryTransport();
        InMemoryBroker.Node b1 = bus.node();
        InMemoryBroker.Node b2 = bus.node();
        InMemoryBroker.Node b3 = bus.node();
        try (Realtime shop = builder(m1).nodeId("shop-1").broker(b1).build();
             Realtime shop2 = builder(m2).nodeId("shop-2").broker(b2).build();
             Realtime chat = Realtime.builder().app("chat-app", "chat-key", "chat-secret").transport(m3)
                     .nodeId("chat-1").broker(b3).build()) {
            TestClient shopper = m2.connect().subscribe("news");
            TestClient chatter = m3.connect().subscribe("news");
            awaitTopic(b2, "channel.news", true);
            awaitBrokerTopic(b3, "app.chat-app.channel.news", true);
            assertThat(b3.subscriptions()).contains("app.chat-app.channel.news", "app.chat-app.control")
                    .noneMatch(t -> t.startsWith("app." + APP_ID + "."));
            shop.broadcast("news", "sale", Map.of("n", 1));
            chat.broadcast("news", "marker", Map.of());
            shopper.awaitEvent("news", "sale");
            chatter.awaitEvent("news", "marker");
            assertThat(chatter.received("news", "sale")).as("another app's event, same channel name").isFalse();
        }
    }
}
