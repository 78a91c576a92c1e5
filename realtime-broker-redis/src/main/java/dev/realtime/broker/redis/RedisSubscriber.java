package dev.realtime.broker.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The dedicated subscriber connection. A reader thread blocks in {@code SUBSCRIBE} and hands
 * messages over; a control thread is the only writer on the connection: it makes Redis's channel
 * set follow the wanted topics, and pings to notice a server that stopped answering. When the
 * connection ends, the reader reconnects with backoff and subscribes everything again.
 * <p>
 * The connection always holds one private keepalive channel, so it stays in subscribed mode with
 * no topic at all ({@code UNSUBSCRIBE} of the last channel would end it) and its confirmation
 * tells when a new connection is ready for the topics.
 */
final class RedisSubscriber {
    /** What the subscriber needs of its broker. */
    interface Owner {
        /** The topics wanted now (a live, thread-safe view). */
        Set<String> topics();

        byte[] channelOf(String topic);

        /** A message arrived on a Redis channel (the reader thread). */
        void message(byte[] channel, byte[] message);

        /** A (new) connection holds every wanted topic. */
        void connected();

        /** The connection failed or ended. */
        void lost(Throwable cause);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RedisSubscriber.class);
    private static final byte[] READY = "realtime-ready".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 500;

    private final RedisSettings settings;
    private final Owner owner;
    private final byte[] keepalive = ("__realtime_keepalive:" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII);
    private final Thread reader = new Thread(this::readLoop, "realtime-redis-subscriber");
    private final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "realtime-redis-control");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicBoolean syncQueued = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Jedis connection;
    /** The current connection's subscriber, once its keepalive channel is confirmed. */
    private volatile Channels current;
    private volatile long lastPong;

    RedisSubscriber(RedisSettings settings, Owner owner) {
        this.settings = settings;
        this.owner = owner;
        reader.setDaemon(true);
    }

    void start() {
        reader.start();
        long ping = settings.pingInterval().toMillis();
        control.scheduleWithFixedDelay(this::heartbeat, ping, ping, TimeUnit.MILLISECONDS);
    }

    /** Waits until the first connection attempt succeeded or failed. */
    void awaitFirstAttempt(Duration timeout) {
        try {
            firstAttempt.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The wanted topics changed: bring Redis in line, soon, on the control thread (coalesced). */
    void topicsChanged() {
        if (syncQueued.compareAndSet(false, true)) {
            try {
                control.execute(() -> {
                    syncQueued.set(false);
                    sync();
                });
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
    }

    /** Ends the current connection; the reader reconnects and resubscribes. */
    void dropConnection() {
        Jedis c = connection;
        if (c != null) {
            try {
                c.disconnect();
            } catch (RuntimeException e) {
                LOG.debug("disconnect failed", e);
            }
        }
    }

    void close() {
        closed = true;
        closing.countDown();
        control.shutdownNow();
        dropConnection();
        if (Thread.currentThread() == reader) {
            return; // closed from a listener callback: the reader ends when it returns
        }
        try {
            reader.join(settings.timeout().toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readLoop() {
        long delay = settings.reconnectDelayMin().toMillis();
        while (!closed) {
            Channels channels = new Channels();
            Throwable cause;
            try {
                Jedis c = new Jedis(settings.hostAndPort(), settings.subscriberConfig());
                connection = c;
                if (closed) {
                    break;
                }
                c.subscribe(channels, keepalive);
                cause = new JedisConnectionException("the Redis subscriber connection ended");
            } catch (RuntimeException e) {
                cause = e;
            } finally {
                current = null;
                closeQuietly(connection);
                connection = null;
            }
            if (closed) {
                break;
            }
            owner.lost(cause); // before start() returns, when the first attempt failed
            firstAttempt.countDown();
            if (channels.ready) {
                delay = settings.reconnectDelayMin().toMillis();
            }
            long wait = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
            try {
                if (closing.await(wait, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
            delay = Math.min(delay * 2, settings.reconnectDelayMax().toMillis());
        }
    }

    /** Subscribes and unsubscribes so Redis holds exactly the wanted topics (control thread). */
    private void sync() {
        Channels c = current;
        if (c == null || closed) {
            return;
        }
        Set<String> wanted = Set.copyOf(owner.topics());
        List<byte[]> add = new ArrayList<>();
        List<byte[]> remove = new ArrayList<>();
        for (String t : wanted) {
            if (c.applied.add(t)) {
                add.add(owner.channelOf(t));
            }
        }
        for (String t : List.copyOf(c.applied)) {
            if (!wanted.contains(t)) {
                c.applied.remove(t);
                remove.add(owner.channelOf(t));
            }
        }
        try {
            // unsubscribes first, so changes take effect in the order they were made;
            // never an empty list: UNSUBSCRIBE without channels means all of them
            for (int i = 0; i < remove.size(); i += CHUNK) {
                c.unsubscribe(remove.subList(i, Math.min(remove.size(), i + CHUNK)).toArray(new byte[0][]));
            }
            for (int i = 0; i < add.size(); i += CHUNK) {
                c.subscribe(add.subList(i, Math.min(add.size(), i + CHUNK)).toArray(new byte[0][]));
            }
        } catch (RuntimeException e) {
            LOG.debug("(un)subscribe failed; reconnecting", e);
            dropConnection();
        }
    }

    /** Pings the subscriber connection; drops it when pongs stopped (control thread). */
    private void heartbeat() {
        Channels c = current;
        if (c == null || closed) {
            return;
        }
        long silent = System.nanoTime() - lastPong;
        long limit = (settings.pingInterval().toNanos() * 3) + settings.timeout().toNanos();
        if (silent > limit) {
            LOG.warn("Redis {} stopped answering pings for {} ms; reconnecting", settings.display(), silent / 1_000_000);
            dropConnection();
            return;
        }
        try {
            c.ping();
        } catch (RuntimeException e) {
            dropConnection();
        }
    }

    /** The channel set of one connection; {@link #applied} is touched on the control thread only. */
    private final class Channels extends BinaryJedisPubSub {
        final Set<String> applied = new HashSet<>();
        volatile boolean ready;

        @Override
        public void onSubscribe(byte[] channel, int subscribedChannels) {
            if (Arrays.equals(channel, keepalive)) {
                lastPong = System.nanoTime();
                try {
                    control.execute(() -> {
                        current = this;
                        sync();
                        try {
                            ping(READY);
                        } catch (RuntimeException e) {
                            dropConnection();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    dropConnection(); // closed meanwhile
                }
            }
        }

        @Override
        public void onPong(byte[] pattern) {
            lastPong = System.nanoTime();
            if (!ready && Arrays.equals(pattern, READY)) {
                // every SUBSCRIBE sent before the ping has been processed
                ready = true;
                firstAttempt.countDown();
                owner.connected();
            }
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            if (!closed) {
                owner.message(channel, message);
            }
        }
    }

    private static void closeQuietly(Jedis c) {
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("close failed", e);
            }
        }
    }
}
