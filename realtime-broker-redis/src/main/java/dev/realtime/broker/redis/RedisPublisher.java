package dev.realtime.broker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Publishes from one thread over one connection, so callers never wait for the network. The
 * queue is bounded: when full, {@link #offer} refuses. Whatever is waiting when the thread gets to
 * it goes out as one pipeline (one round trip for a burst), in queue order: one publisher's
 * envelopes stay ordered. A batch that fails on a broken connection is dropped (at-most-once:
 * resending could duplicate what Redis already received) and the broker is told. Closing sends
 * what was queued before it.
 */
final class RedisPublisher {
    /** What the publisher needs of its broker. */
    interface Owner {
        /** The connection broke. */
        void lost(Throwable cause);

        /** {@code count} envelopes were not published, the first to {@code topic}. */
        void dropped(String topic, int count, Throwable cause);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RedisPublisher.class);
    private static final int MAX_BATCH = 512;

    /** One envelope waiting, with its topic for the logs. */
    private record Outgoing(String topic, byte[] channel, byte[] envelope) {
    }

    private final RedisSettings settings;
    private final Owner owner;
    private final BlockingQueue<Outgoing> queue;
    private final Thread thread = new Thread(this::run, "realtime-redis-publisher");
    private volatile boolean closed;
    private volatile boolean reset;
    /** Touched by the publisher thread only. */
    private Jedis connection;

    RedisPublisher(RedisSettings settings, Owner owner) {
        this.settings = settings;
        this.owner = owner;
        this.queue = new ArrayBlockingQueue<>(settings.publishQueueCapacity());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues an envelope; false when the queue is full. */
    boolean offer(String topic, byte[] channel, byte[] envelope) {
        return queue.offer(new Outgoing(topic, channel, envelope));
    }

    /** Use a new connection for the next batch (after an outage, the old one is stale). */
    void reset() {
        reset = true;
    }

    /** Stops after sending what is queued (a node's goodbye is its last envelope), waiting at most twice the timeout. */
    void close() {
        closed = true;
        thread.interrupt(); // wakes take(); the thread sends what is left before it ends
        try {
            thread.join(settings.timeout().toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Outgoing> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // closed, or spurious: the loop condition decides
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            send(batch);
            batch.clear();
        }
        boolean sent = true;
        while (sent && !queue.isEmpty()) { // published before close(): still sent, in order, unless Redis is gone
            queue.drainTo(batch, MAX_BATCH);
            sent = send(batch);
            batch.clear();
        }
        if (!queue.isEmpty()) {
            LOG.debug("Redis broker closed with {} envelope(s) not published", queue.size());
        }
        disconnect();
    }

    /** Sends a batch as one pipeline; false when it was dropped. */
    private boolean send(List<Outgoing> batch) {
        try {
            if (reset) {
                reset = false;
                disconnect();
            }
            if (connection == null) {
                connection = new Jedis(settings.hostAndPort(), settings.publisherConfig());
            }
            Pipeline pipeline = connection.pipelined();
            for (Outgoing o : batch) {
                pipeline.publish(o.channel(), o.envelope());
            }
            pipeline.sync();
            return true;
        } catch (JedisConnectionException e) {
            disconnect();
            owner.dropped(batch.get(0).topic(), batch.size(), e);
            owner.lost(e);
        } catch (JedisException e) {
            owner.dropped(batch.get(0).topic(), batch.size(), e);
        }
        return false;
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException e) {
                LOG.debug("close failed", e);
            }
            connection = null;
        }
    }
}
