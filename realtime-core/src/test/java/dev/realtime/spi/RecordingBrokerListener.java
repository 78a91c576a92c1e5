package dev.realtime.spi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;

/**
 * A {@link BrokerListener} that records what it is told, with awaiting helpers that fail the test
 * with everything that did arrive. Probe envelopes ({@link #probe}) are recorded but left out of
 * {@link #received}: tests use them to learn when a subscription has taken effect.
 */
public final class RecordingBrokerListener implements BrokerListener {
    private static final byte[] PROBE_PREFIX = "\u0000probe\u0000".getBytes(StandardCharsets.UTF_8);

    private final Object lock = new Object();
    private final Map<String, List<byte[]>> byTopic = new HashMap<>();
    private final List<String> events = new ArrayList<>();
    private Throwable lastDownCause;
    private long messages;

    /** An envelope that {@link #received} ignores, numbered so a test can look for it. */
    public static byte[] probe(long id) {
        byte[] n = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
        byte[] p = Arrays.copyOf(PROBE_PREFIX, PROBE_PREFIX.length + n.length);
        System.arraycopy(n, 0, p, PROBE_PREFIX.length, n.length);
        return p;
    }

    static boolean isProbe(byte[] envelope) {
        return envelope.length > PROBE_PREFIX.length
                && Arrays.equals(envelope, 0, PROBE_PREFIX.length, PROBE_PREFIX, 0, PROBE_PREFIX.length);
    }

    @Override
    public void onMessage(String topic, byte[] envelope) {
        synchronized (lock) {
            byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(envelope.clone());
            messages++;
            lock.notifyAll();
        }
    }

    @Override
    public void onBrokerDown(Throwable cause) {
        synchronized (lock) {
            events.add("down");
            lastDownCause = cause;
            lock.notifyAll();
        }
    }

    @Override
    public void onBrokerUp() {
        synchronized (lock) {
            events.add("up");
            lock.notifyAll();
        }
    }

    /** The envelopes received on {@code topic} so far, in arrival order, probes left out. */
    public List<byte[]> received(String topic) {
        synchronized (lock) {
            List<byte[]> out = new ArrayList<>();
            for (byte[] e : byTopic.getOrDefault(topic, List.of())) {
                if (!isProbe(e)) {
                    out.add(e.clone());
                }
            }
            return out;
        }
    }

    /** {@link #received} decoded as UTF-8. */
    public List<String> receivedText(String topic) {
        List<String> out = new ArrayList<>();
        for (byte[] e : received(topic)) {
            out.add(new String(e, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Every topic that delivered anything, probes included. */
    public List<String> topics() {
        synchronized (lock) {
            return List.copyOf(byTopic.keySet());
        }
    }

    /** How many envelopes arrived in all, probes included. */
    public long messageCount() {
        synchronized (lock) {
            return messages;
        }
    }

    /** Whether this exact envelope (probe or not) arrived on {@code topic}. */
    public boolean hasReceived(String topic, byte[] envelope) {
        synchronized (lock) {
            for (byte[] e : byTopic.getOrDefault(topic, List.of())) {
                if (Arrays.equals(e, envelope)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The connection events so far, in order: {@code "down"} and {@code "up"}. */
    public List<String> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    /** The cause given with the last {@code onBrokerDown}, or null. */
    public Throwable lastDownCause() {
        synchronized (lock) {
            return lastDownCause;
        }
    }

    /** Waits until this exact envelope arrived on {@code topic}. */
    public void awaitReceived(String topic, byte[] envelope, Duration timeout) {
        if (!await(() -> hasReceived(topic, envelope), timeout)) {
            Assertions.fail("no envelope " + describe(envelope) + " on " + topic + " within " + timeout
                    + "; arrived: " + describeAll());
        }
    }

    /** Waits until at least {@code count} envelopes (probes left out) arrived on {@code topic}. */
    public void awaitCount(String topic, int count, Duration timeout) {
        if (!await(() -> received(topic).size() >= count, timeout)) {
            Assertions.fail("expected " + count + " envelopes on " + topic + " within " + timeout + ", got "
                    + received(topic).size() + "; arrived: " + describeAll());
        }
    }

    /** Waits until {@code event} ("down" or "up") has been reported at least {@code times} times. */
    public void awaitEvent(String event, int times, Duration timeout) {
        if (!await(() -> events().stream().filter(event::equals).count() >= times, timeout)) {
            Assertions.fail("expected '" + event + "' " + times + " time(s) within " + timeout + "; events: "
                    + events() + ", last down cause: " + lastDownCause());
        }
    }

    /** Waits until {@code condition} holds (re-checked on each arrival and every 50 ms); false on timeout. */
    public boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, Math.min(50, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** What arrived, topic by topic, for failure messages (long lists cut short). */
    public String describeAll() {
        synchronized (lock) {
            if (byTopic.isEmpty()) {
                return "nothing";
            }
            StringBuilder sb = new StringBuilder();
            byTopic.forEach((topic, list) -> {
                sb.append("\n  ").append(topic).append(": ").append(list.size()).append(" [");
                for (int i = 0; i < Math.min(5, list.size()); i++) {
                    sb.append(i > 0 ? ", " : "").append(describe(list.get(i)));
                }
                sb.append(list.size() > 5 ? ", ...]" : "]");
            });
            return sb.append("\n  events: ").append(events).toString();
        }
    }

    static String describe(byte[] envelope) {
        if (isProbe(envelope)) {
            return "probe " + new String(envelope, PROBE_PREFIX.length, envelope.length - PROBE_PREFIX.length,
                    StandardCharsets.US_ASCII);
        }
        String text = new String(envelope, 0, Math.min(envelope.length, 60), StandardCharsets.UTF_8);
        return envelope.length > 60 ? "'" + text + "...' (" + envelope.length + " bytes)" : "'" + text + "'";
    }
}
