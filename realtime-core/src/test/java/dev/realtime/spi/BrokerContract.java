package dev.realtime.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} promises, written once and run against each implementation with a real
 * server: extend it and return a fresh, unstarted connection (one node) from {@link #newBroker()}.
 * Each node here is a separate connection, as in a cluster of several JVMs. Brokers are
 * asynchronous: the tests learn when a subscription took effect from probe envelopes
 * ({@link TestNode#awaitSubscribed}, {@link TestNode#awaitSettled}) and when everything published
 * before has arrived from a fence ({@link TestNode#fence}); they never sleep and assert no timings.
 * Two orders the SPI does not promise but every broker here keeps are assumed by these helpers:
 * one node's subscription changes take effect in call order, and one publisher's envelopes reach
 * one connection in publishing order across topics (so a fence on one topic also fences others).
 * <p>
 * Connection events: {@link BrokerListener#onBrokerUp()} is reported only after an
 * {@link BrokerListener#onBrokerDown} (a node resubscribes on it), never for the first connection.
 * On a healthy connection nothing is lost, although the SPI only promises at-most-once.
 */
public abstract class BrokerContract {
    private static final String ROOM = "channel.presence-room.1";
    private static final String OTHER = "channel.other";

    private final List<TestNode> nodes = new ArrayList<>();

    /** A new connection to the broker under test, not started: one node. */
    protected abstract Broker newBroker();

    /** How long each wait lasts before the test fails; brokers are asynchronous. */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /** Starts a node on a new connection; closed after the test. */
    protected TestNode node(String name) {
        TestNode node = TestNode.start(name, newBroker());
        nodes.add(node);
        return node;
    }

    @AfterEach
    void closeNodes() {
        for (TestNode n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                // the test's own failure matters more
            }
        }
    }

    @Test
    void publishedEnvelopeReachesEverySubscriberOnceIncludingThePublisher() {
        TestNode a = node("a");
        TestNode b = node("b");
        a.subscribe(ROOM);
        b.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM), timeout(), a, b);

        a.publish(ROOM, "hello");
        b.publish(ROOM, "world");
        a.fence(ROOM, timeout(), a, b);
        b.fence(ROOM, timeout(), a, b);

        for (TestNode n : List.of(a, b)) {
            assertThat(n.listener().receivedText(ROOM)).as(n + " on " + ROOM).containsExactlyInAnyOrder("hello", "world");
        }
    }

    @Test
    void envelopesArriveByteForByte() {
        TestNode a = node("a");
        TestNode b = node("b");
        b.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM), timeout(), b);
        byte[] everyByte = new byte[512];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) (255 - i % 256);
        }
        byte[] large = new byte[64 * 1024];
        new Random(42).nextBytes(large);
        large[0] = 1;
        List<byte[]> envelopes = List.of(everyByte, large,
                "{\"text\":\"héllo wörld — 世界 🎉\"}".getBytes(StandardCharsets.UTF_8), new byte[0], new byte[] {0});

        for (byte[] e : envelopes) {
            a.publish(ROOM, e);
        }
        a.fence(ROOM, timeout(), b);

        List<byte[]> got = b.listener().received(ROOM);
        assertThat(got).hasSize(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            assertThat(got.get(i)).as("envelope " + i + " (" + envelopes.get(i).length + " bytes)").isEqualTo(envelopes.get(i));
        }
    }

    @Test
    void nothingArrivesForTopicsNotSubscribed() {
        TestNode a = node("a");
        TestNode b = node("b");
        b.subscribe(OTHER);
        a.awaitSubscribed(List.of(OTHER), timeout(), b);

        a.publish(ROOM, "not for b");
        a.publish("user.42", "not for b either");
        a.publish("control", "nor this");
        a.fence(OTHER, timeout(), b);

        assertThat(b.listener().topics()).as("topics b received").containsExactly(OTHER);
        assertThat(a.listener().topics()).as("topics a (subscribed to nothing) received").isEmpty();
    }

    @Test
    void nothingArrivesAfterUnsubscribe() {
        TestNode a = node("a");
        TestNode b = node("b");
        TestNode c = node("c");
        b.subscribe(ROOM, OTHER);
        c.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM, OTHER), timeout(), b);
        a.awaitSubscribed(List.of(ROOM), timeout(), c);

        b.unsubscribe(ROOM);
        a.awaitSettled(b, timeout());
        a.publish(ROOM, "after");
        a.fence(ROOM, timeout(), c);
        a.fence(OTHER, timeout(), b);

        assertThat(c.listener().receivedText(ROOM)).as("c, still subscribed").containsExactly("after");
        assertThat(b.listener().receivedText(ROOM)).as("b, unsubscribed").isEmpty();
    }

    @Test
    void subscribeAndUnsubscribeAreIdempotent() {
        TestNode a = node("a");
        TestNode b = node("b");
        b.subscribe(ROOM, ROOM, OTHER);
        b.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM, OTHER), timeout(), b);
        a.publish(ROOM, "once");
        a.fence(ROOM, timeout(), b);
        assertThat(b.listener().receivedText(ROOM)).as("after subscribing three times").containsExactly("once");

        b.unsubscribe(ROOM);
        b.unsubscribe(ROOM);
        b.unsubscribe("channel.never-subscribed");
        a.awaitSettled(b, timeout());
        a.publish(ROOM, "while unsubscribed");
        a.fence(OTHER, timeout(), b);

        b.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM), timeout(), b);
        a.publish(ROOM, "back");
        a.fence(ROOM, timeout(), b);
        assertThat(b.listener().receivedText(ROOM)).as("one unsubscribe undoes any number of subscribes")
                .containsExactly("once", "back");
    }

    @Test
    void orderPerTopicIsKeptFor1000Envelopes() {
        TestNode a = node("a");
        TestNode b = node("b");
        b.subscribe(ROOM, OTHER);
        a.awaitSubscribed(List.of(ROOM, OTHER), timeout(), b);
        List<String> room = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            room.add("room-" + i);
            other.add("other-" + i);
            a.publish(ROOM, room.get(i));
            a.publish(OTHER, other.get(i));
        }
        b.listener().awaitCount(ROOM, 1000, timeout());
        b.listener().awaitCount(OTHER, 1000, timeout());

        assertThat(b.listener().receivedText(ROOM)).containsExactlyElementsOf(room);
        assertThat(b.listener().receivedText(OTHER)).containsExactlyElementsOf(other);
    }

    @Test
    void topicsWithEveryAllowedCharacterDoNotCollide() {
        List<String> topics = List.of(
                "channel.private-encrypted-cache-x_y=z@a,b.c;d", "channel.#server-to-user-42", "user.42", "control",
                "channel.a.b", "channel.a_b", "channel.a-b", "channel.a=b", "channel.a;b", "channel.a,b", "channel.a@b",
                "channel.ab", "channel.A.b", "channel.a..b", "channel.a.", "channel..a", "channel.a", "channel.",
                "channel.a_2Eb", "channel.a_2eb", "channel.a%2Eb", "channel.a~2Eb", "channel.*", "channel.>",
                "channel.a.*", "channel.#", "channel.a b", "channel.control", "user.4", "user.420", "user.42.x",
                "channel.über-straße", "user.ユーザー", "user.sha256:00", "controls");
        TestNode a = node("a");
        TestNode b = node("b");
        topics.forEach(b::subscribe);
        a.awaitSubscribed(topics, timeout(), b);

        for (String t : topics) {
            a.publish(t, t);
        }
        for (String t : topics) {
            a.fence(t, timeout(), b);
        }

        Map<String, List<String>> got = new HashMap<>();
        topics.forEach(t -> got.put(t, b.listener().receivedText(t)));
        Map<String, List<String>> expected = new HashMap<>();
        topics.forEach(t -> expected.put(t, List.of(t)));
        assertThat(got).as("envelopes by topic (each topic must carry only its own)").isEqualTo(expected);
        assertThat(b.listener().topics()).containsExactlyInAnyOrderElementsOf(topics);
    }

    @Test
    void fiveHundredTopicsAtOnce() {
        List<String> topics = IntStream.range(0, 500).mapToObj(i -> "channel.private-chat." + i).toList();
        TestNode a = node("a");
        TestNode b = node("b");
        topics.forEach(b::subscribe);
        a.awaitSubscribed(topics, timeout(), b);

        topics.forEach(t -> a.publish(t, "to " + t));
        for (String t : topics) {
            b.listener().awaitCount(t, 1, timeout());
        }
        topics.forEach(b::unsubscribe);
        b.subscribe(OTHER);
        a.awaitSettled(b, timeout());
        topics.forEach(t -> a.publish(t, "after unsubscribe"));
        a.fence(OTHER, timeout(), b);

        for (String t : topics) {
            assertThat(b.listener().receivedText(t)).as(t).containsExactly("to " + t);
        }
    }

    @Test
    void publishingFromManyThreadsDeliversEachEnvelopeOnceInEachThreadsOrder() throws Exception {
        int threads = 8;
        int perThread = 250;
        TestNode a = node("a");
        TestNode b = node("b");
        b.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM), timeout(), b);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        a.publish(ROOM, thread + ":" + i);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        b.listener().awaitCount(ROOM, threads * perThread, timeout());

        Map<Integer, List<Integer>> byThread = new HashMap<>();
        for (String e : b.listener().receivedText(ROOM)) {
            String[] parts = e.split(":");
            byThread.computeIfAbsent(Integer.parseInt(parts[0]), k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        List<Integer> expected = IntStream.range(0, perThread).boxed().toList();
        for (int t = 0; t < threads; t++) {
            assertThat(byThread.get(t)).as("envelopes of thread " + t).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void closeIsIdempotentAndStopsDeliveries() {
        TestNode a = node("a");
        TestNode b = node("b");
        TestNode c = node("c");
        b.subscribe(ROOM);
        c.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM), timeout(), b, c);
        long before = b.listener().messageCount();

        b.close();
        b.close();
        a.publish(ROOM, "after close");
        a.fence(ROOM, timeout(), c);

        assertThat(c.listener().receivedText(ROOM)).containsExactly("after close");
        assertThat(b.listener().messageCount()).as("deliveries to b after close").isEqualTo(before);
        assertDoesNotThrow(() -> {
            b.broker().publish(ROOM, new byte[] {1});
            b.broker().subscribe(OTHER);
            b.broker().unsubscribe(ROOM);
        }, "a closed broker ignores late calls (a node may race its own shutdown)");
    }

    @Test
    void closeSendsWhatWasPublishedBeforeIt() {
        TestNode a = node("a");
        TestNode b = node("b");
        b.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM), timeout(), b);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sent.add("last-" + i);
            a.publish(ROOM, sent.get(i));
        }
        a.close(); // a node's goodbye to the cluster is its last publish: the close right after must not drop it

        b.listener().awaitCount(ROOM, sent.size(), timeout());
        assertThat(b.listener().receivedText(ROOM)).containsExactlyElementsOf(sent);
    }

    @Test
    void aHealthyStartReportsNoConnectionEvents() {
        TestNode a = node("a");
        a.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM), timeout(), a);
        a.publish(ROOM, "round trip");
        a.fence(ROOM, timeout(), a);

        assertThat(a.listener().events()).as("onBrokerUp is for re-connections only").isEmpty();
        assertThat(a.listener().receivedText(ROOM)).containsExactly("round trip");
    }
}
