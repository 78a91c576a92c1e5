package dev.realtime.broker.rabbitmq;

import dev.realtime.spi.BrokerConnectionState;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerListener;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} over RabbitMQ: one durable direct exchange for the cluster (default
 * {@code realtime}), one exclusive, auto-delete, server-named queue per node, bound to the
 * exchange once per topic the node wants ({@link RoutingKeys}: the topic is the routing key).
 * <pre>{@code
 * Realtime.builder().broker(RabbitMqBroker.connect("amqp://guest:guest@127.0.0.1:5672/%2F")) ...
 * }</pre>
 * One thread owns the AMQP channels: it declares, binds, unbinds and publishes, fed by a bounded
 * queue, so {@link #publish} never waits for the network. Deliveries arrive auto-acknowledged on
 * the client's consumer thread, in queue order.
 * <p>
 * At-most-once, ordered per topic per publisher. amqp-client's automatic recovery reconnects after
 * an outage ({@code onBrokerDown}); the broker then declares a new queue, binds every topic again,
 * and reports {@code onBrokerUp}. What is published meanwhile is dropped (logged, counted). If
 * the first connection fails, {@link #start} reports {@code onBrokerDown} and keeps trying.
 */
public final class RabbitMqBroker implements Broker {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqBroker.class);
    /** Set on the ops thread. */
    private static final ThreadLocal<Boolean> ON_OPS = ThreadLocal.withInitial(() -> false);

    private final RabbitMqSettings settings;
    private final BrokerConnectionState state;
    private final ScheduledThreadPoolExecutor ops = opsThread();
    /** Wanted topics and their routing keys, both ways. */
    private final Map<String, String> keyByTopic = new ConcurrentHashMap<>();
    private final Map<String, String> topicByKey = new ConcurrentHashMap<>();
    private final AtomicInteger pendingPublishes = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicBoolean syncQueued = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private volatile Connection connection;
    // touched by the ops thread only:
    private Channel channel;
    private Channel consumer;
    private String queue;
    private final Set<String> bound = new HashSet<>();

    RabbitMqBroker(RabbitMqSettings settings) {
        this.settings = settings;
        this.state = new BrokerConnectionState("RabbitMQ broker " + settings.display(), LOG);
    }

    /** A broker for {@code amqp://[user:password@]host[:port][/vhost]} ({@code amqps://} for TLS), default settings. */
    public static RabbitMqBroker connect(String uri) {
        return builder().uri(uri).build();
    }

    /** Settings beyond the URI: exchange, queue size, timeouts, heartbeat, backoff, TLS. */
    public static RabbitMqBrokerBuilder builder() {
        return new RabbitMqBrokerBuilder();
    }

    /** Connects; returns once the first attempt succeeded or failed (then it keeps trying). */
    @Override
    public void start(BrokerListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("RabbitMqBroker can be started once");
        }
        state.listener(listener);
        ops.execute(this::connect);
        try {
            firstAttempt.await(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues the envelope; dropped (and logged) while the server is down or the queue is full. */
    @Override
    public void publish(String topic, byte[] envelope) {
        if (closed.get()) {
            return;
        }
        if (state.isDown()) {
            state.droppedWhileDown(topic, 1);
            return;
        }
        if (pendingPublishes.incrementAndGet() > settings.publishQueueCapacity()) {
            pendingPublishes.decrementAndGet();
            state.droppedQueueFull(topic);
            return;
        }
        try {
            ops.execute(() -> {
                pendingPublishes.decrementAndGet();
                send(topic, envelope);
            });
        } catch (RejectedExecutionException e) {
            pendingPublishes.decrementAndGet(); // closed meanwhile
        }
    }

    @Override
    public void subscribe(String topic) {
        String key = RoutingKeys.of(topic);
        if (!closed.get() && keyByTopic.putIfAbsent(topic, key) == null) {
            topicByKey.put(key, topic);
            requestSync();
        }
    }

    @Override
    public void unsubscribe(String topic) {
        String key = keyByTopic.remove(topic);
        if (!closed.get() && key != null) {
            topicByKey.remove(key);
            requestSync();
        }
    }

    /** Closes the connection (the server deletes the node's queue); later calls are ignored. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // what was published before close() still goes out, in order (a node's goodbye is its last envelope);
        // reconnects and binding changes scheduled for later do not
        ops.shutdown();
        try {
            if (!ON_OPS.get() && !ops.awaitTermination(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("RabbitMQ {}: closed with envelopes not published", settings.display());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state.close();
        ops.shutdownNow();
        Connection c = connection;
        if (c != null) {
            try {
                c.close((int) settings.timeout().toMillis());
            } catch (IOException | ShutdownSignalException e) {
                c.abort();
            }
        }
    }

    /** The one thread for connects, declares, binds and publishes; delayed tasks are dropped at shutdown, queued ones run. */
    private static ScheduledThreadPoolExecutor opsThread() {
        ScheduledThreadPoolExecutor ops = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(() -> {
                ON_OPS.set(true); // close() from the ops thread (a listener callback) must not wait for itself
                r.run();
            }, "realtime-rabbitmq-ops");
            t.setDaemon(true);
            return t;
        });
        ops.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return ops;
    }

    @Override
    public String toString() {
        return "RabbitMqBroker[" + settings.display() + ", exchange '" + settings.exchange() + "']";
    }

    /** Opens the connection, retrying with backoff until it works (ops thread); amqp-client recovers it later. */
    private void connect() {
        if (closed.get()) {
            return;
        }
        try {
            Connection c = settings.factory().newConnection(settings.connectionName());
            connection = c;
            c.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    state.down(cause);
                }
            });
            ((Recoverable) c).addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recoverable) {
                    schedule(RabbitMqBroker.this::restore, 0);
                }

                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    // onBrokerDown was reported when the connection shut down
                }
            });
            c.addBlockedListener(reason -> LOG.warn("RabbitMQ {} blocks publishing: {}", settings.display(), reason),
                    () -> LOG.info("RabbitMQ {} accepts publishing again", settings.display()));
            declare();
            failedAttempts.set(0);
            firstAttempt.countDown();
            state.up();
        } catch (IOException | TimeoutException | RuntimeException e) {
            Connection c = connection;
            connection = null;
            if (c != null) {
                c.abort();
            }
            state.down(e);
            firstAttempt.countDown();
            schedule(this::connect, backoff());
        }
    }

    /** After a recovery (or a lost channel): a new queue, every binding, the consumer again (ops thread). */
    private void restore() {
        Connection c = connection;
        if (closed.get() || c == null || !c.isOpen()) {
            return; // amqp-client is still recovering; it calls handleRecovery when done
        }
        try {
            declare();
            failedAttempts.set(0);
            state.up();
        } catch (IOException | RuntimeException e) {
            LOG.warn("RabbitMQ {}: could not restore the queue and bindings, retrying: {}", settings.display(), e.toString());
            state.down(e);
            schedule(this::restore, backoff());
        }
    }

    /** Declares the exchange and a fresh queue, binds the wanted topics, starts consuming (ops thread). */
    private void declare() throws IOException {
        closeQuietly(consumer);
        closeQuietly(channel);
        channel = connection.createChannel();
        channel.exchangeDeclare(settings.exchange(), BuiltinExchangeType.DIRECT, true, false, null);
        consumer = connection.createChannel();
        queue = consumer.queueDeclare().getQueue(); // server-named, exclusive, auto-delete
        bound.clear();
        syncBindings();
        consumer.basicConsume(queue, true, this::delivered, this::cancelled);
    }

    /** Unbinds first, then binds: changes take effect in the order they were made. */
    private void syncBindings() throws IOException {
        Set<String> wanted = Set.copyOf(keyByTopic.values());
        for (String key : List.copyOf(bound)) {
            if (!wanted.contains(key)) {
                channel.queueUnbind(queue, settings.exchange(), key);
                bound.remove(key);
            }
        }
        for (String key : wanted) {
            if (!bound.contains(key)) {
                channel.queueBind(queue, settings.exchange(), key);
                bound.add(key);
            }
        }
    }

    /** The wanted topics changed: bind and unbind soon, on the ops thread (coalesced). */
    private void requestSync() {
        if (syncQueued.compareAndSet(false, true)) {
            schedule(() -> {
                syncQueued.set(false);
                if (queue != null && channel != null && channel.isOpen()) {
                    try {
                        syncBindings();
                    } catch (IOException | ShutdownSignalException e) {
                        channelLost(e);
                    }
                }
            }, 0);
        }
    }

    private void send(String topic, byte[] envelope) {
        Channel ch = channel;
        if (ch == null || !ch.isOpen() || state.isDown()) {
            state.droppedWhileDown(topic, 1);
            return;
        }
        try {
            ch.basicPublish(settings.exchange(), RoutingKeys.of(topic), null, envelope);
        } catch (IOException | ShutdownSignalException e) {
            state.droppedWhileDown(topic, 1);
            channelLost(e);
        }
    }

    /**
     * A channel failed. If the whole connection went, recovery is under way; if only the channel
     * (a channel error, say the exchange was deleted), the topology is rebuilt: an outage too.
     */
    private void channelLost(Exception cause) {
        Connection c = connection;
        if (c != null && c.isOpen() && !closed.get()) {
            LOG.warn("RabbitMQ {}: channel lost ({}); declaring the queue and bindings again", settings.display(),
                    cause.toString());
            state.down(cause);
            schedule(this::restore, backoff());
        }
    }

    private void delivered(String consumerTag, Delivery delivery) {
        // a topic just unsubscribed may still have messages in flight: not for the node any more
        String topic = topicByKey.get(delivery.getEnvelope().getRoutingKey());
        if (topic != null) {
            state.deliver(topic, delivery.getBody());
        }
    }

    private void cancelled(String consumerTag) {
        // the server cancelled the consumer: the queue was deleted under us
        channelLost(new IOException("RabbitMQ cancelled the consumer of queue " + queue));
    }

    private long backoff() {
        long min = settings.reconnectDelayMin().toMillis();
        return Math.min(settings.reconnectDelayMax().toMillis(), min << Math.min(failedAttempts.getAndIncrement(), 20));
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            ops.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private static void closeQuietly(Channel ch) {
        if (ch != null && ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException | TimeoutException | ShutdownSignalException e) {
                LOG.debug("channel close failed", e);
            }
        }
    }
}
