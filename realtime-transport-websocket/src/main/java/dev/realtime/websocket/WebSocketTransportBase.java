package dev.realtime.websocket;

import dev.realtime.Limits;
import dev.realtime.spi.OutboundQueue;
import dev.realtime.spi.OutboundQueueBuilder;
import dev.realtime.spi.OutboundSink;
import dev.realtime.spi.OutboundStats;
import dev.realtime.spi.Transport;
import dev.realtime.spi.TransportContext;
import dev.realtime.spi.WriteScheduler;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What both WebSocket adapters share: the settings (allowed origins, message size, idle timeout),
 * the node's context, the write scheduler and the write counters.
 */
abstract class WebSocketTransportBase implements Transport {
    /** How long a closing connection may take to write its queued frames and close frame before it is dropped. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(15);

    /** Extra idle time on top of the activity and pong timeouts before a container drops a silent connection. */
    static final Duration IDLE_TIMEOUT_MARGIN = Duration.ofSeconds(60);

    private final OriginPolicy origins;
    private final int maxMessageBytesOverride;
    private final Duration idleTimeoutOverride;
    private final Duration closeTimeout;
    private final String writerName;
    private final OutboundStats stats = new OutboundStats();
    /** The threads that write queued frames (started with the transport), so a fan-out only queues. */
    private volatile WriteScheduler writes;
    private volatile TransportContext context;
    private volatile boolean stopped;

    WebSocketTransportBase(Options<?> options, String writerName) {
        this.origins = new OriginPolicy(options.origins);
        this.maxMessageBytesOverride = options.maxMessageBytes;
        this.idleTimeoutOverride = options.idleTimeout;
        this.closeTimeout = options.closeTimeout;
        this.writerName = writerName;
    }

    @Override
    public synchronized void start(TransportContext context) {
        this.context = context;
        this.stopped = false;
        if (writes == null) {
            writes = new WriteScheduler(writerName, WriteScheduler.defaultThreads());
        }
    }

    @Override
    public synchronized void stop() {
        stopped = true; // the node closes the open connections itself
        if (writes != null) {
            writes.stop();
            writes = null;
        }
    }

    /** Frames and writes so far, over all connections (shows the write coalescing). */
    public OutboundStats outboundStats() {
        return stats;
    }

    /**
     * The outbound queue of a new connection, with its WebSocket attached for life: written by one of
     * the writer threads (inline when the transport is not started), aborted when its close frame is
     * not taken within the close timeout; {@code onFailure} hears of a write that broke the wire.
     */
    OutboundQueue newQueue(TransportContext context, OutboundSink sink, Consumer<Throwable> onFailure) {
        // No lock: every handshake of a connection storm comes through here (start and stop publish the scheduler).
        WriteScheduler writes = this.writes;
        OutboundQueueBuilder b = OutboundQueue.builder(context.limits().outboundQueueFrames())
                .stats(stats)
                .onFailure(onFailure);
        if (writes != null) {
            b.writeScheduler(writes).closeTimeout(closeTimeout);
        }
        OutboundQueue queue = b.build();
        queue.attach(sink);
        return queue;
    }

    /** The node's context, or null when not started (or stopped). */
    TransportContext context() {
        return stopped ? null : context;
    }

    Duration closeTimeout() {
        return closeTimeout;
    }

    OriginPolicy origins() {
        return origins;
    }

    int maxMessageBytes() {
        if (maxMessageBytesOverride > 0) {
            return maxMessageBytesOverride;
        }
        TransportContext c = context;
        return c == null ? Limits.DEFAULT_MAX_MESSAGE_BYTES : c.limits().maxMessageBytes();
    }

    /**
     * The container's idle timeout: the one set, else longer than the node's activity timeout plus
     * its pong timeout, so the node's ping and 4201 decide, not the container.
     */
    Duration idleTimeout() {
        if (idleTimeoutOverride != null) {
            return idleTimeoutOverride;
        }
        TransportContext c = context;
        long seconds = c == null ? 120 : (long) c.activityTimeoutSeconds() + c.pongTimeoutSeconds();
        return Duration.ofSeconds(seconds).plus(IDLE_TIMEOUT_MARGIN);
    }

    /** The settings both adapters take. */
    abstract static class Options<B extends Options<B>> {
        private final Set<String> origins = new LinkedHashSet<>();
        private int maxMessageBytes;
        private Duration idleTimeout;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

        abstract B self();

        /**
         * How long a connection being closed (a slow consumer's 4100, a shutdown's 4200, a refused
         * connection) may take to write the frames already handed to the wire and its close frame; a
         * peer that reads nothing for that long is dropped without a close frame. Default 15 s: a slow
         * but reading client still gets its close code (pusher-js backs off on 4100 instead of seeing 1006).
         */
        public B closeTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("closeTimeout must be positive, got " + timeout);
            }
            this.closeTimeout = timeout;
            return self();
        }

        /**
         * Browser origins allowed to connect, e.g. {@code "https://app.example"}; others get 403.
         * Default: none listed, every origin allowed. Requests without an Origin header (non-browser clients) pass.
         */
        public B allowedOrigins(String... origins) {
            return allowedOrigins(Arrays.asList(origins));
        }

        /** As {@link #allowedOrigins(String...)}. */
        public B allowedOrigins(Collection<String> origins) {
            for (String o : origins) {
                if (o == null || o.isBlank()) {
                    throw new IllegalArgumentException("allowed origin must not be blank");
                }
                this.origins.add(o);
            }
            return self();
        }

        /** Max bytes of one inbound message (larger: close 1009). Default: the node's {@code Limits.maxMessageBytes()}. */
        public B maxMessageBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be positive, got " + bytes);
            }
            this.maxMessageBytes = bytes;
            return self();
        }

        /**
         * How long the container keeps a connection with no read or write progress (a stalled write, a
         * dead peer). Default: the node's activity timeout plus its pong timeout plus 60 s, so the node's
         * own ping/pong check (close 4201) always comes first.
         */
        public B idleTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive, got " + timeout);
            }
            this.idleTimeout = timeout;
            return self();
        }
    }

    /**
     * Whether {@code error} is the wire failing (an I/O error such as a reset connection, a write that
     * timed out), which the node reports to its listeners, rather than a clean end of stream or a
     * client's protocol error (those end in a close code, reported through the close).
     */
    static boolean isWireFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t.getClass().getSimpleName().contains("WriteTimeout")) {
                return true;
            }
            if (t instanceof java.io.EOFException || t instanceof java.nio.channels.ClosedChannelException) {
                return false;
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}
