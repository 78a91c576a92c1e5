package dev.realtime.spi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assertions;

/**
 * One started {@link Broker} connection with a {@link RecordingBrokerListener}: a node, as the
 * broker tests see it. Subscriptions take effect asynchronously; {@link #awaitSubscribed} and
 * {@link #awaitUnsubscribed} learn when they have by publishing probe envelopes, never by sleeping.
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
        Set<String> pending = new LinkedHashSet<>(topics);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                List<String> detail = new ArrayList<>();
                for (TestNode s : subscribers) {
                    detail.add(s.name + " got probes on " + pending.stream().filter(s.listener::hasProbe).toList());
                }
                Assertions.fail("subscriptions to " + pending + " did not take effect within " + timeout + ": " + detail);
            }
            for (String topic : pending) {
                publish(topic, RecordingBrokerListener.probe(PROBES.incrementAndGet()));
            }
            for (TestNode s : subscribers) {
                s.listener.await(() -> pending.stream().allMatch(s.listener::hasProbe), PROBE_ROUND);
            }
            pending.removeIf(t -> allHaveProbe(t, subscribers));
        }
    }

    private static boolean allHaveProbe(String topic, TestNode[] subscribers) {
        for (TestNode s : subscribers) {
            if (!s.listener.hasProbe(topic)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until {@code subscriber} no longer receives {@code topic}. {@code subscriber} must be
     * subscribed to {@code fenceTopic}: a probe on {@code topic} followed by one on
     * {@code fenceTopic} tells when the unsubscribe took effect, because one publisher's envelopes
     * reach one connection in the order they were published (true of every broker here, though
     * the SPI only promises it per topic).
     */
    public void awaitUnsubscribed(String topic, String fenceTopic, Duration timeout, TestNode subscriber) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            byte[] probe = RecordingBrokerListener.probe(PROBES.incrementAndGet());
            byte[] fence = RecordingBrokerListener.probe(PROBES.incrementAndGet());
            publish(topic, probe);
            publish(fenceTopic, fence);
            subscriber.listener.awaitReceived(fenceTopic, fence, timeout);
            if (!subscriber.listener.hasReceived(topic, probe)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                Assertions.fail(subscriber.name + " still receives " + topic + " " + timeout + " after unsubscribing");
            }
        }
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
