package dev.realtime.spi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assertions;

/**
 * One started {@link Broker} connection with a {@link RecordingBrokerListener}: a node, as the
 * broker tests see it. Subscriptions take effect asynchronously; {@link #awaitSubscribed} and
 * {@link #awaitSettled} learn when they have by publishing probe envelopes, never by sleeping.
 */
public final class TestNode implements AutoCloseable {
    private static final AtomicLong PROBES = new AtomicLong();
    /** How long one probe round waits before publishing the next probes. */
    private static final Duration PROBE_ROUND = Duration.ofMillis(200);

    private final String name;
    private final Broker broker;
    private final RecordingBrokerListener listener = new RecordingBrokerListener();

    private TestNode(String name, Broker broker) {
        this.name = name;
        this.broker = broker;
    }

    /** Starts {@code broker} with a recording listener. */
    public static TestNode start(String name, Broker broker) {
        TestNode node = new TestNode(name, broker);
        broker.start(node.listener);
        return node;
    }

    public String name() {
        return name;
    }

    public Broker broker() {
        return broker;
    }

    public RecordingBrokerListener listener() {
        return listener;
    }

    public void subscribe(String... topics) {
        for (String t : topics) {
            broker.subscribe(t);
        }
    }

    public void unsubscribe(String... topics) {
        for (String t : topics) {
            broker.unsubscribe(t);
        }
    }

    public void publish(String topic, byte[] envelope) {
        broker.publish(topic, envelope);
    }

    public void publish(String topic, String text) {
        broker.publish(topic, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Waits until every subscriber receives what this node publishes on each of {@code topics}:
     * publishes a probe per topic still missing one, round after round, until each has arrived.
     */
    public void awaitSubscribed(Collection<String> topics, Duration timeout, TestNode... subscribers) {
        // only probes sent by this call count: an older one may predate an unsubscribe
        Map<String, List<byte[]>> sent = new HashMap<>();
        Set<String> pending = new LinkedHashSet<>(topics);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                List<String> detail = new ArrayList<>();
                for (TestNode s : subscribers) {
                    detail.add(s.name + " got probes on " + pending.stream().filter(t -> gotOne(s, t, sent)).toList());
                }
                Assertions.fail("subscriptions to " + pending + " did not take effect within " + timeout + ": " + detail);
            }
            for (String topic : pending) {
                byte[] probe = RecordingBrokerListener.probe(PROBES.incrementAndGet());
                sent.computeIfAbsent(topic, t -> new ArrayList<>()).add(probe);
                publish(topic, probe);
            }
            for (TestNode s : subscribers) {
                s.listener.await(() -> pending.stream().allMatch(t -> gotOne(s, t, sent)), PROBE_ROUND);
            }
            pending.removeIf(t -> Arrays.stream(subscribers).allMatch(s -> gotOne(s, t, sent)));
        }
    }

    private static boolean gotOne(TestNode subscriber, String topic, Map<String, List<byte[]>> sent) {
        for (byte[] probe : sent.getOrDefault(topic, List.of())) {
            if (subscriber.listener.hasReceived(topic, probe)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits until every subscribe and unsubscribe {@code subscriber} made so far has taken effect:
     * subscribes it to a fresh marker topic and waits for a probe on it. This relies on one node's
     * subscription changes taking effect in the order they were made (true of every broker here).
     * A probe alone cannot tell that an unsubscribe took effect: brokers drop envelopes of topics
     * no longer wanted on arrival, so silence may hide a server-side subscription still in place.
     */
    public void awaitSettled(TestNode subscriber, Duration timeout) {
        String marker = "settled." + PROBES.incrementAndGet();
        subscriber.subscribe(marker);
        awaitSubscribed(List.of(marker), timeout, subscriber);
        subscriber.unsubscribe(marker);
    }

    /** Publishes a fence on {@code topic} and waits until each subscriber has it: whatever was published before has arrived. */
    public void fence(String topic, Duration timeout, TestNode... subscribers) {
        byte[] fence = RecordingBrokerListener.probe(PROBES.incrementAndGet());
        publish(topic, fence);
        for (TestNode s : subscribers) {
            s.listener.awaitReceived(topic, fence, timeout);
        }
    }

    @Override
    public void close() {
        broker.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
