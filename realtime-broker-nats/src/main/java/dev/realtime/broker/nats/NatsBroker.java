package dev.realtime.broker.nats;

import dev.realtime.spi.BrokerConnectionState;
import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerListener;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} over NATS core pub/sub: a subject per topic ({@link Subjects}: prefix
 * {@code realtime}, the topic escaped token by token), one subscription per topic on one
 * {@link Dispatcher}, whose single thread calls the listener in arrival order.
 * <pre>{@code
 * Realtime.builder().broker(NatsBroker.connect("nats://127.0.0.1:4222")) ...
 * }</pre>
 * jnats writes from its own thread through a bounded outgoing queue, so {@link #publish} never
 * waits for the network; when the queue is full the envelope is dropped (and logged).
 * <p>
 * At-most-once, ordered per topic per publisher. jnats reconnects by itself: its
 * {@code DISCONNECTED} event becomes {@code onBrokerDown}, and once it has {@code RESUBSCRIBED}
 * and the server confirmed it (a flush), {@code onBrokerUp}. What is published while disconnected
 * is dropped (logged, counted), not buffered. If the first connection fails, {@link #start}
 * reports {@code onBrokerDown} and keeps trying.
 */
public final class NatsBroker implements Broker {
    private static final Logger LOG = LoggerFactory.getLogger(NatsBroker.class);

    private final Options options;
    private final String subjectPrefix;
    private final Duration timeout;
    private final String display;
    private final BrokerConnectionState state;
    private final Object lock = new Object();
    /** Wanted topics; changed under {@link #lock}, read by the dispatcher thread. */
    private final Map<String, Interest> interests = new ConcurrentHashMap<>();
    /** Waits for the server's confirmation after a resubscription, off jnats's callback thread. */
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "realtime-nats-control");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Connection connection;
    private Dispatcher dispatcher;
    private volatile String lastError;

    NatsBroker(Options.Builder options, String subjectPrefix, Duration timeout, String display) {
        this.options = options.connectionListener(new ConnectionEvents()).errorListener(new Errors()).build();
        this.subjectPrefix = subjectPrefix;
        this.timeout = timeout;
        this.display = display;
        this.state = new BrokerConnectionState("NATS broker " + display, LOG);
    }

    /** A broker for {@code nats://[user:password@|token@]host[:port]} ({@code tls://} for TLS), default settings. */
    public static NatsBroker connect(String uri) {
        return builder().uri(uri).build();
    }

    /** Settings beyond the URI: subject prefix, queue size, timeouts, backoff, TLS. */
    public static NatsBrokerBuilder builder() {
        return new NatsBrokerBuilder();
    }

    /** Connects; if that fails, reports {@code onBrokerDown} and keeps trying in the background. */
    @Override
    public void start(BrokerListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("NatsBroker can be started once");
        }
        state.listener(listener);
        try {
            attach(Nats.connect(options));
            state.up();
        } catch (IOException e) {
            state.down(e);
            try {
                Nats.connectAsynchronously(options, true); // CONNECTED, when it comes, attaches
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.down(e);
        }
    }

    /** Hands the envelope to jnats's outgoing queue; dropped (and logged) while disconnected or when full. */
    @Override
    public void publish(String topic, byte[] envelope) {
        Connection c = connection;
        if (closed.get()) {
            return;
        }
        if (c == null || state.isDown()) {
            state.droppedWhileDown(topic, 1);
            return;
        }
        try {
            c.publish(Subjects.of(subjectPrefix, topic), envelope);
        } catch (IllegalStateException e) {
            state.droppedWhileDown(topic, 1); // reconnecting (nothing is buffered) or closed
        } catch (IllegalArgumentException e) {
            LOG.error("NATS broker {}: envelope to {} refused: {}", display, topic, e.getMessage());
        }
    }

    @Override
    public void subscribe(String topic) {
        synchronized (lock) {
            if (closed.get() || interests.containsKey(topic)) {
                return;
            }
            Interest interest = new Interest(topic);
            interests.put(topic, interest);
            if (dispatcher != null) {
                interest.subscribeOn(dispatcher);
            }
        }
    }

    @Override
    public void unsubscribe(String topic) {
        synchronized (lock) {
            Interest interest = interests.remove(topic);
            if (interest != null && interest.subscription != null && dispatcher != null && !closed.get()) {
                dispatcher.unsubscribe(interest.subscription);
            }
        }
    }

    /** Sends what was published, then closes the connection; later calls are ignored. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        state.close();
        control.shutdownNow();
        Connection c;
        synchronized (lock) {
            c = connection;
        }
        if (c != null) {
            try {
                if (c.getStatus() == Connection.Status.CONNECTED) {
                    c.flush(timeout); // what was published before close() goes out first (a node's goodbye is its last envelope)
                }
            } catch (TimeoutException | RuntimeException e) {
                LOG.debug("NATS broker {}: closed with envelopes perhaps not published ({})", display, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "NatsBroker[" + display + ", prefix '" + subjectPrefix + "']";
    }

    /** Takes a connection into use (once): a dispatcher and a subscription per wanted topic. */
    private void attach(Connection c) {
        synchronized (lock) {
            if (connection != null) {
                return;
            }
            if (closed.get()) {
                closeQuietly(c);
                return;
            }
            connection = c;
            dispatcher = c.createDispatcher();
            for (Interest interest : interests.values()) {
                interest.subscribeOn(dispatcher);
            }
        }
    }

    /** A wanted topic and, once connected, its subscription. */
    private final class Interest {
        final String topic;
        /** Set under {@link #lock}. */
        Subscription subscription;

        Interest(String topic) {
            this.topic = topic;
        }

        void subscribeOn(Dispatcher d) {
            subscription = d.subscribe(Subjects.of(subjectPrefix, topic), this::delivered);
        }

        private void delivered(Message msg) {
            // messages still queued for a topic just unsubscribed are not for the node any more
            if (interests.get(topic) == this) {
                byte[] data = msg.getData();
                state.deliver(topic, data == null ? new byte[0] : data);
            }
        }
    }

    private void resubscribed(Connection c) {
        try {
            c.flush(timeout); // the server has processed every SUB sent before
            state.up();
        } catch (TimeoutException | RuntimeException e) {
            LOG.debug("NATS broker {}: no flush after resubscribing ({}); waiting for the next reconnect", display, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onControl(Runnable task) {
        try {
            control.execute(task);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** jnats's connection events, as the node's onBrokerDown/onBrokerUp (jnats's callback thread). */
    private final class ConnectionEvents implements ConnectionListener {
        @Override
        public void connectionEvent(Connection conn, Events type, Long time, String uriDetails) {
            String where = uriDetails == null ? display : uriDetails;
            switch (type) {
                // a first connection made in the background may come as CONNECTED or as RECONNECTED + RESUBSCRIBED
                case CONNECTED -> onControl(() -> {
                    attach(conn);
                    state.up();
                });
                case RESUBSCRIBED -> onControl(() -> {
                    attach(conn);
                    resubscribed(conn);
                });
                case DISCONNECTED -> state.down(new IOException("NATS connection to " + where + " lost"
                        + (lastError == null ? "" : ": " + lastError)));
                case CLOSED -> {
                    if (!closed.get()) {
                        state.down(new IOException("NATS connection to " + where + " closed"));
                    }
                }
                default -> { /* RECONNECTED waits for RESUBSCRIBED; server discovery and lame duck need nothing */ }
            }
        }

        @Override
        @Deprecated
        @SuppressWarnings("deprecation")
        public void connectionEvent(Connection conn, Events type) {
            connectionEvent(conn, type, null, display);
        }
    }

    /** jnats's asynchronous problems, to the log. */
    private final class Errors implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            lastError = error;
            LOG.warn("NATS broker {}: server error: {}", display, error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            lastError = exp.toString();
            LOG.debug("NATS broker {}: {}", display, exp.toString());
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
            LOG.warn("NATS broker {}: the node reads too slowly, NATS dropped envelopes for it", display);
        }

        @Override
        public void messageDiscarded(Connection conn, Message msg) {
            state.droppedQueueFull(msg.getSubject());
        }
    }
}
