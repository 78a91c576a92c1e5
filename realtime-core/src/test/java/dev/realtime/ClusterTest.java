package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.testing.InMemoryBroker;
import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in one JVM over the {@link InMemoryBroker}: every API call and every client behaves as
 * if there were one node (DESIGN.md "Presence in a cluster"), including when a node disappears and
 * when it comes back.
 */
class ClusterTest extends RealtimeTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** One node: its transport, its broker connection and what its listener heard. */
    private static final class Node {
        final InMemoryTransport memory = new InMemoryTransport();
        final List<String> heard = new CopyOnWriteArrayList<>();
        InMemoryBroker.Node broker;
        Realtime realtime;

        long count(String what) {
            return heard.stream().filter(what::equals).count();
        }
    }

    private final InMemoryBroker bus = new InMemoryBroker();
    private final List<Node> nodes = new ArrayList<>();
    private Node a;
    private Node b;
    private Node c;

    @BeforeEach
    void startThreeNodes() {
        a = node("a");
        b = node("b");
        c = node("c");
    }

    @AfterEach
    void stop() {
        for (Node n : nodes) {
            n.realtime.close();
        }
    }

    private Node node(String id) {
        Node n = new Node();
        n.broker = bus.node();
        n.realtime = builder(n.memory).nodeId(id).broker(n.broker)
                .heartbeatInterval(Duration.ofMillis(100)).nodeTimeout(Duration.ofMillis(500))
                .listener(new RealtimeListener() {
                    @Override public void memberAdded(String channel, Member m) { n.heard.add("added " + channel + " " + m.userId()); }
                    @Override public void memberRemoved(String channel, Member m) { n.heard.add("removed " + channel + " " + m.userId()); }
                    @Override public void channelOccupied(String channel) { n.heard.add("occupied " + channel); }
                    @Override public void channelVacated(String channel) { n.heard.add("vacated " + channel); }
                }).build();
        nodes.add(n);
        return n;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Waits until every node sees {@code subscriptions} subscriptions of {@code channel}. */
    private void awaitCount(String channel, int subscriptions) throws InterruptedException {
        await(channel + " has " + subscriptions + " subscriptions everywhere", () -> nodes.stream()
                .allMatch(n -> n.realtime.channel(channel).subscriptionCount() == subscriptions));
    }

    @Test
    void broadcastsClientEventsAndUserEventsReachTheRightSocketsOnEveryNodeOnce() throws Exception {
        TestClient onA = a.memory.connect(ALICE).subscribe("private-chat");
        TestClient onB = b.memory.connect(BOB).subscribe("private-chat");
        TestClient onC = c.memory.connect(CAROL).subscribe("private-chat");
        awaitCount("private-chat", 3);

        b.realtime.broadcast(Broadcast.to("private-chat").event("hello").data(Map.of("n", 1)).except(onC.socketId()));
        onA.awaitEvent("private-chat", "hello");
        onB.awaitEvent("private-chat", "hello");
        onC.trigger("private-chat", "client-typing", Map.of("t", 1)); // a client event from node c
        onA.awaitEvent("private-chat", "client-typing");
        onB.awaitEvent("private-chat", "client-typing");
        a.realtime.broadcast("private-chat", "marker", Map.of());
        onC.awaitEvent("private-chat", "marker");
        assertThat(onC.received("private-chat", "hello")).as("except reaches across nodes").isFalse();
        assertThat(onC.received("private-chat", "client-typing")).as("not echoed").isFalse();
        assertThat(onA.events("private-chat").stream().filter(f -> f.event().equals("hello"))).hasSize(1);

        TestClient signedIn = c.memory.connect(CAROL).signin();
        await("c subscribed to user.3", () -> c.broker.subscriptions().contains("app." + APP_ID + ".user.3"));
        a.realtime.sendToUser("3", "note", Map.of("x", 1));
        signedIn.awaitUserEvent("note");

        assertThat(a.realtime.send(onB.socketId(), "direct", Map.of("y", 2))).isTrue();
        onB.awaitEvent(null, "direct");
    }

    @Test
    void channelQueriesAndPresenceAreClusterWideAndMembersAreCountedOncePerUser() throws Exception {
        TestClient aliceOnA = a.memory.connect(ALICE).subscribe("presence-room");
        TestClient aliceOnB = b.memory.connect(ALICE).subscribe("presence-room"); // a second tab, on another node
        TestClient bobOnC = c.memory.connect(BOB).subscribe("presence-room");
        awaitCount("presence-room", 3);
        for (Node n : nodes) {
            assertThat(n.realtime.presence("presence-room")).extracting(Member::userId).containsExactlyInAnyOrder("1", "2");
            assertThat(n.realtime.channel("presence-room").userCount()).isEqualTo(2);
            assertThat(n.realtime.channels("presence-")).containsKey("presence-room");
        }
        await("everyone heard of Alice and Bob", () -> nodes.stream().allMatch(n ->
                n.count("added presence-room 1") == 1 && n.count("added presence-room 2") == 1));
        assertThat(aliceOnA.members("presence-room")).containsOnlyKeys("1", "2");

        aliceOnB.unsubscribe("presence-room"); // Alice still has her tab on a
        awaitCount("presence-room", 2);
        assertThat(bobOnC.received("presence-room", "pusher_internal:member_removed")).isFalse();
        aliceOnA.unsubscribe("presence-room");
        bobOnC.awaitEvent("presence-room", "pusher_internal:member_removed");
        await("everyone heard Alice leave once", () -> nodes.stream().allMatch(n -> n.count("removed presence-room 1") == 1));
        bobOnC.unsubscribe("presence-room");
        awaitCount("presence-room", 0);
        await("vacated once on every node", () -> nodes.stream().allMatch(n -> n.count("vacated presence-room") == 1));
        for (Node n : nodes) {
            assertThat(n.count("occupied presence-room")).as("occupied once, whatever the node count").isEqualTo(1);
            assertThat(n.realtime.channels("")).doesNotContainKey("presence-room");
        }
    }

    @Test
    void disconnectUserClosesTheUsersSocketsOnEveryNode() throws Exception {
        TestClient onB = b.memory.connect(ALICE).signin();
        TestClient onC = c.memory.connect(ALICE).subscribe("presence-room");
        TestClient bystander = c.memory.connect(BOB).subscribe("presence-room");
        awaitCount("presence-room", 2);
        a.realtime.disconnectUser("1");
        assertThat(onB.awaitClose(WAIT)).isEqualTo(4009);
        assertThat(onC.awaitClose(WAIT)).isEqualTo(4009);
        assertThat(bystander.isOpen()).isTrue();
        await("Alice gone everywhere", () -> nodes.stream().allMatch(n -> n.realtime.presence("presence-room").size() == 1));
    }

    @Test
    void aSilentNodeIsDeclaredDownItsMembersLeaveOnceAndItsReturnAddsThemOnceWithoutGhosts() throws Exception {
        TestClient carolOnC = c.memory.connect(CAROL).subscribe("presence-room");
        TestClient aliceOnA = a.memory.connect(ALICE).subscribe("presence-room");
        awaitCount("presence-room", 2);
        await("a knows Carol", () -> a.count("added presence-room 3") == 1);

        c.broker.outage(new java.io.IOException("partition")); // c hears nothing and is heard by no one
        aliceOnA.awaitEvent("presence-room", "pusher_internal:member_removed", WAIT);
        await("a and b dropped Carol once", () -> a.count("removed presence-room 3") == 1 && b.count("removed presence-room 3") == 1);
        assertThat(a.realtime.presence("presence-room")).extracting(Member::userId).containsExactly("1");

        aliceOnA.unsubscribe("presence-room"); // a change c misses while it is cut off
        c.broker.restore();
        await("Carol back on a and b", () -> a.realtime.presence("presence-room").size() == 1
                && a.realtime.presence("presence-room").get(0).userId().equals("3")
                && b.realtime.presence("presence-room").size() == 1);
        await("c forgot Alice (no ghost)", () -> c.realtime.presence("presence-room").stream().noneMatch(m -> m.userId().equals("1")));
        Thread.sleep(500); // a few more heartbeats: nothing more may happen
        assertThat(a.count("added presence-room 3")).as("Carol added again once").isEqualTo(2);
        assertThat(b.count("added presence-room 3")).isEqualTo(2);
        assertThat(c.count("added presence-room 3")).as("c never lost Carol, its own").isEqualTo(1);
        assertThat(c.count("added presence-room 1")).isEqualTo(1);
        assertThat(c.count("removed presence-room 1")).isEqualTo(1);
        assertThat(carolOnC.isOpen()).isTrue();
    }

    @Test
    void aBrokerOutageLongerThanTheNodeTimeoutTakesNoMemberAwayAndWhatChangedMeanwhileConverges() throws Exception {
        TestClient aliceOnA = a.memory.connect(ALICE).subscribe("presence-room");
        TestClient bobOnB = b.memory.connect(BOB).subscribe("presence-room");
        awaitCount("presence-room", 2);
        await("every node knows Alice and Bob", () -> nodes.stream().allMatch(n -> n.count("added presence-room 1") == 1
                && n.count("added presence-room 2") == 1));

        for (Node n : nodes) {
            n.broker.outage(new java.io.IOException("broker restarting")); // every node loses the broker: no one hears anyone
        }
        Thread.sleep(1_000); // twice the node timeout
        TestClient carolOnC = c.memory.connect(CAROL).subscribe("presence-room"); // changes the others miss meanwhile
        bobOnB.unsubscribe("presence-room");
        for (Node n : nodes) {
            n.broker.restore();
        }
        await("Alice and Carol everywhere, Bob nowhere", () -> nodes.stream().allMatch(n -> n.realtime.presence("presence-room")
                .stream().map(Member::userId).sorted().toList().equals(List.of("1", "3"))));
        Thread.sleep(500); // a few more heartbeats: nothing more may happen
        for (Node n : nodes) {
            assertThat(n.count("removed presence-room 1")).as("Alice never left (node %s)", n.realtime.nodeId()).isZero();
            assertThat(n.count("added presence-room 1")).as("Alice added once (node %s)", n.realtime.nodeId()).isEqualTo(1);
            assertThat(n.count("added presence-room 3")).as("Carol added once (node %s)", n.realtime.nodeId()).isEqualTo(1);
            assertThat(n.count("removed presence-room 2")).as("Bob removed once (node %s)", n.realtime.nodeId()).isEqualTo(1);
        }
        for (TestClient client : List.of(aliceOnA, carolOnC)) {
            assertThat(client.events("presence-room").stream().filter(f -> f.event().equals("pusher_internal:member_removed"))
                    .map(f -> f.dataJson().path("user_id").asText())).as("only Bob left, once").containsExactly("2");
        }
    }

    @Test
    void aNodeThatClosesTakesItsMembersAwayAtOnce() throws Exception {
        Node d = node("d");
        d.memory.connect(CAROL).subscribe("presence-room");
        TestClient aliceOnA = a.memory.connect(ALICE).subscribe("presence-room");
        awaitCount("presence-room", 2);
        d.realtime.close();
        nodes.remove(d);
        aliceOnA.awaitEvent("presence-room", "pusher_internal:member_removed", WAIT);
        awaitCount("presence-room", 1);
        assertThat(b.realtime.presence("presence-room")).extracting(Member::userId).containsExactly("1");
    }
}
