package dev.realtime.spi;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * Whether the broker is usable, told to the node once per change: {@code onBrokerDown} once per
 * outage (also when the very first connection fails), {@code onBrokerUp} once when it ends, nothing
 * for a first connection that works. Also counts and logs the envelopes dropped meanwhile. For
 * {@link Broker} implementations: one per broker connection, shared by its threads (thread-safe).
 */
public final class BrokerConnectionState {
    private static final long FULL_WARNING_INTERVAL_NANOS = 10_000_000_000L;

    private enum State { CONNECTING, UP, DOWN, CLOSED }

    private final String name;
    private final Logger log;
    private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);
    private final AtomicLong droppedWhileDown = new AtomicLong();
    private final AtomicLong droppedQueueFull = new AtomicLong();
    private volatile long lastFullWarning = System.nanoTime() - FULL_WARNING_INTERVAL_NANOS;
    private volatile BrokerListener listener;

    /** {@code name} names the broker in log lines, such as Redis broker 127.0.0.1:6379. */
    public BrokerConnectionState(String name, Logger log) {
        this.name = name;
        this.log = log;
    }

    /** The node to tell (set in {@link Broker#start}). */
    public void listener(BrokerListener listener) {
        this.listener = listener;
    }

    /** Whether an outage is going on. */
    public boolean isDown() {
        return state.get() == State.DOWN;
    }

    /** Whether the broker was closed. */
    public boolean isClosed() {
        return state.get() == State.CLOSED;
    }

    /** The connection was lost (or could not be made): tells the node, once per outage. */
    public void down(Throwable cause) {
        State s = state.get();
        while (s == State.UP || s == State.CONNECTING) {
            if (state.compareAndSet(s, State.DOWN)) {
                log.warn("{} connection lost, reconnecting: {}", name, String.valueOf(cause));
                BrokerListener l = listener;
                if (l != null) {
                    try {
                        l.onBrokerDown(cause);
                    } catch (RuntimeException e) {
                        log.error("{}: onBrokerDown failed", name, e);
                    }
                }
                return;
            }
            s = state.get();
        }
    }

    /** The connection works (again); after an outage the node is told and resubscribes. */
    public void up() {
        if (state.compareAndSet(State.CONNECTING, State.UP)) {
            log.debug("{} connected", name);
            return;
        }
        if (state.compareAndSet(State.DOWN, State.UP)) {
            long dropped = droppedWhileDown.getAndSet(0);
            if (dropped > 0) {
                log.warn("{} connection is back; {} envelope(s) published meanwhile were dropped", name, dropped);
            } else {
                log.info("{} connection is back", name);
            }
            BrokerListener l = listener;
            if (l != null) {
                try {
                    l.onBrokerUp();
                } catch (RuntimeException e) {
                    log.error("{}: onBrokerUp failed", name, e);
                }
            }
        }
    }

    /** The broker is closed: nothing more is delivered or reported. */
    public void close() {
        state.set(State.CLOSED);
    }

    /** Hands an envelope to the node, unless closed; a failing listener is logged, never fatal. */
    public void deliver(String topic, byte[] envelope) {
        BrokerListener l = listener;
        if (l == null || isClosed()) {
            return;
        }
        try {
            l.onMessage(topic, envelope);
        } catch (RuntimeException e) {
            log.error("{}: the node failed on an envelope from {}", name, topic, e);
        }
    }

    /** An envelope dropped because the broker is down (at-most-once); logged once per outage. */
    public void droppedWhileDown(String topic, int count) {
        if (droppedWhileDown.getAndAdd(count) == 0) {
            log.warn("{} is down: dropping published envelopes until it is back (first on {})", name, topic);
        }
    }

    /** An envelope dropped because too many wait to be published; logged at most every 10 s. */
    public void droppedQueueFull(String topic) {
        long n = droppedQueueFull.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastFullWarning >= FULL_WARNING_INTERVAL_NANOS) {
            lastFullWarning = now;
            log.warn("{}: publish queue full, envelope to {} dropped ({} dropped so far): the server is slower than "
                    + "the node publishes", name, topic, n);
        }
    }
}
