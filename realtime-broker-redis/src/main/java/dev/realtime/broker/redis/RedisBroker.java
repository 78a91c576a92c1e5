package dev.realtime.broker.redis;

import dev.realtime.spi.BrokerConnectionState;
import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerListener;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} over Redis pub/sub: each topic is the Redis channel {@code channelPrefix + topic}
 * (default prefix {@code realtime:}; Redis channel names are binary-safe, so any topic maps as is).
 * <pre>{@code
 * Realtime.builder().broker(RedisBroker.connect("redis://:secret@127.0.0.1:6379")) ...
 * }</pre>
 * Two connections: a subscriber connection that only listens (its reader thread calls the
 * listener, so envelopes arrive in the order Redis sent them), and a publisher connection fed from
 * a bounded queue by its own thread, so {@link #publish} never waits for the network.
 * <p>
 * At-most-once, ordered per topic per publisher. When the server goes away the broker reports
 * {@code onBrokerDown}, drops what is published meanwhile (logged, counted, never queued), and
 * reconnects with backoff; once every topic is subscribed again it reports {@code onBrokerUp}.
 * If the first connection fails, {@link #start} reports {@code onBrokerDown} and keeps trying.
 */
public final class RedisBroker implements Broker {
    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);

    private final RedisSettings settings;
    private final BrokerConnectionState state;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final RedisSubscriber subscriber;
    private final RedisPublisher publisher;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisBroker(RedisSettings settings) {
        this.settings = settings;
        this.state = new BrokerConnectionState("Redis broker " + settings.display(), LOG);
        this.subscriber = new RedisSubscriber(settings, new SubscriberEvents());
        this.publisher = new RedisPublisher(settings, new PublisherEvents());
    }

    /** A broker for {@code redis://[[user]:password@]host[:port][/db]} ({@code rediss://} for TLS), default settings. */
    public static RedisBroker connect(String uri) {
        return builder().uri(uri).build();
    }

    /** Settings beyond the URI: channel prefix, queue size, timeouts, backoff, TLS. */
    public static RedisBrokerBuilder builder() {
        return new RedisBrokerBuilder();
    }

    /** Opens both connections; returns once the first attempt succeeded or failed (then it keeps trying). */
    @Override
    public void start(BrokerListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("RedisBroker can be started once");
        }
        state.listener(listener);
        publisher.start();
        subscriber.start();
        subscriber.awaitFirstAttempt(settings.timeout().multipliedBy(2));
    }

    /** Queues the envelope; dropped (and logged) while the server is down or the queue is full. */
    @Override
    public void publish(String topic, byte[] envelope) {
        if (closed.get()) {
            return;
        }
        if (state.isDown()) {
            state.droppedWhileDown(topic, 1);
        } else if (!publisher.offer(topic, channelOf(topic), envelope)) {
            state.droppedQueueFull(topic);
        }
    }

    @Override
    public void subscribe(String topic) {
        if (!closed.get() && topics.add(topic)) {
            subscriber.topicsChanged();
        }
    }

    @Override
    public void unsubscribe(String topic) {
        if (!closed.get() && topics.remove(topic)) {
            subscriber.topicsChanged();
        }
    }

    /** Closes both connections; later calls are ignored. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            state.close();
            subscriber.close();
            publisher.close();
        }
    }

    @Override
    public String toString() {
        return "RedisBroker[" + settings.display() + ", prefix '" + settings.channelPrefix() + "']";
    }

    byte[] channelOf(String topic) {
        return (settings.channelPrefix() + topic).getBytes(StandardCharsets.UTF_8);
    }

    private final class SubscriberEvents implements RedisSubscriber.Owner {
        @Override
        public Set<String> topics() {
            return topics;
        }

        @Override
        public byte[] channelOf(String topic) {
            return RedisBroker.this.channelOf(topic);
        }

        @Override
        public void message(byte[] channel, byte[] message) {
            String name = new String(channel, StandardCharsets.UTF_8);
            String prefix = settings.channelPrefix();
            if (name.startsWith(prefix)) {
                String topic = name.substring(prefix.length());
                // a topic just unsubscribed may still have messages in flight: not for the node any more
                if (topics.contains(topic)) {
                    state.deliver(topic, message);
                }
            }
        }

        @Override
        public void connected() {
            if (state.isDown()) {
                publisher.reset();
            }
            state.up();
        }

        @Override
        public void lost(Throwable cause) {
            state.down(cause);
        }
    }

    private final class PublisherEvents implements RedisPublisher.Owner {
        @Override
        public void lost(Throwable cause) {
            state.down(cause);
            subscriber.dropConnection(); // one outage for the whole broker: reconnect, resubscribe, then up
        }

        @Override
        public void dropped(String topic, int count, Throwable cause) {
            LOG.warn("Redis broker {}: {} envelope(s) not published (first to {}): {}", settings.display(), count,
                    topic, String.valueOf(cause));
        }
    }
}
