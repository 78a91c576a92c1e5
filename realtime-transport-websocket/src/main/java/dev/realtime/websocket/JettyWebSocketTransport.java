package dev.realtime.websocket;

import dev.realtime.spi.Transport;
import dev.realtime.spi.TransportContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

/**
 * The WebSocket transport on Jetty 12's core WebSocket API (no Jakarta layer: less memory per
 * connection). Mount it with {@link #createHandler(Server)}:
 * <pre>{@code
 * JettyWebSocketTransport ws = JettyWebSocketTransport.builder().allowedOrigins("https://app.example").build();
 * Realtime realtime = Realtime.builder().app(id, key, secret).transport(ws).build();
 * server.setHandler(new Handler.Sequence(ws.createHandler(server), otherHandlers));
 * }</pre>
 * Clients connect to {@code ws://host:port/app/{key}?protocol=7}.
 */
public final class JettyWebSocketTransport implements Transport {
    /** Where clients connect: {@code /app/{key}}. */
    public static final String PATH_PREFIX = "/app/";
    /** Extra idle time on top of twice the activity timeout before Jetty drops a connection that neither reads nor writes. */
    public static final Duration IDLE_TIMEOUT_MARGIN = Duration.ofSeconds(60);

    private final OriginPolicy origins;
    private final int maxMessageBytesOverride;
    private final Duration idleTimeoutOverride;
    private final boolean compression;
    private final Set<JettyConnection> connections = ConcurrentHashMap.newKeySet();
    private final OutboundStats stats = new OutboundStats();
    /** The threads that write queued frames (started with the transport), so a fan-out only queues. */
    private WriteScheduler writes;
    private volatile TransportContext context;
    private volatile boolean stopped;

    private JettyWebSocketTransport(Builder b) {
        this.origins = new OriginPolicy(b.origins);
        this.maxMessageBytesOverride = b.maxMessageBytes;
        this.idleTimeoutOverride = b.idleTimeout;
        this.compression = b.compression;
    }

    /** A transport with the defaults: every origin allowed, the node's message size limit. */
    public JettyWebSocketTransport() {
        this(builder());
    }

    /** Options: allowed origins, max message size, idle timeout. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void start(TransportContext context) {
        this.context = context;
        this.stopped = false;
        if (writes == null) {
            writes = new WriteScheduler("realtime-ws-writer", WriteScheduler.defaultThreads());
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

    /** The write scheduler of a new connection; inline writes when the transport is not started. */
    synchronized java.util.function.Consumer<OutboundQueue> writeScheduler() {
        return writes == null ? OutboundQueue::flush : writes.assign();
    }

    /**
     * A Jetty handler that upgrades WebSocket requests to {@code /app/{key}} and returns false
     * (not handled) for every other request, for use in a {@code Handler.Sequence}.
     */
    public Handler createHandler(Server server) {
        return new JettyUpgradeHandler(this, WebSocketServerComponents.ensureWebSocketComponents(server));
    }

    /** Frames and writes so far, over all connections (shows the write coalescing). */
    public OutboundStats outboundStats() {
        return stats;
    }

    /** Connections currently open on this transport. */
    public int connectionCount() {
        return connections.size();
    }

    TransportContext context() {
        return stopped ? null : context;
    }

    OriginPolicy origins() {
        return origins;
    }

    long maxMessageBytes() {
        if (maxMessageBytesOverride > 0) {
            return maxMessageBytesOverride;
        }
        TransportContext c = context;
        return c == null ? dev.realtime.Limits.DEFAULT_MAX_MESSAGE_BYTES : c.limits().maxMessageBytes();
    }

    /**
     * The container's idle timeout when none is set: longer than the node's activity timeout plus
     * its pong timeout, so the node's ping and 4201 decide, not the container.
     */
    static Duration defaultIdleTimeout(TransportContext c) {
        if (c == null) {
            return Duration.ofSeconds(120).plus(IDLE_TIMEOUT_MARGIN);
        }
        return Duration.ofSeconds((long) c.activityTimeoutSeconds() + c.pongTimeoutSeconds()).plus(IDLE_TIMEOUT_MARGIN);
    }

    boolean compression() {
        return compression;
    }

    Duration idleTimeout() {
        if (idleTimeoutOverride != null) {
            return idleTimeoutOverride;
        }
        return JettyWebSocketTransport.defaultIdleTimeout(context);
    }

    JettyConnection newConnection(TransportContext context, String appKey, String protocol, String remoteAddress) {
        return new JettyConnection(context, connections, stats, writeScheduler(), appKey, protocol, remoteAddress,
                maxMessageBytes());
    }

    /** Builds a {@link JettyWebSocketTransport}. */
    public static final class Builder {
        private final Set<String> origins = new LinkedHashSet<>();
        private int maxMessageBytes;
        private Duration idleTimeout;
        private boolean compression;

        private Builder() {
        }

        /**
         * Browser origins allowed to connect, e.g. {@code "https://app.example"}; others get 403.
         * Default: none listed, every origin allowed. Requests without an Origin header (non-browser clients) pass.
         */
        public Builder allowedOrigins(String... origins) {
            return allowedOrigins(Arrays.asList(origins));
        }

        /** As {@link #allowedOrigins(String...)}. */
        public Builder allowedOrigins(Collection<String> origins) {
            for (String o : origins) {
                if (o == null || o.isBlank()) {
                    throw new IllegalArgumentException("allowed origin must not be blank");
                }
                this.origins.add(o);
            }
            return this;
        }

        /** Max bytes of one inbound message (larger: close 1009). Default: the node's {@code Limits.maxMessageBytes()}. */
        public Builder maxMessageBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be positive, got " + bytes);
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /**
         * How long Jetty keeps a connection with no read or write progress (a stalled write, a dead peer).
         * Default: twice the node's activity timeout plus {@link JettyWebSocketTransport#IDLE_TIMEOUT_MARGIN}, so the node's
         * own ping/pong check (close 4201) always comes first.
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive, got " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** The transport; pass it to {@code Realtime.builder().transport(…)}. */
        /**
         * Whether to accept permessage-deflate when a client offers it; default false, because each
         * frame is then compressed once per connection, which multiplies the cost of a fan-out.
         */
        public Builder compression(boolean enabled) {
            this.compression = enabled;
            return this;
        }

        public JettyWebSocketTransport build() {
            return new JettyWebSocketTransport(this);
        }
    }
}
