package dev.realtime.websocket;

import dev.realtime.Limits;
import dev.realtime.spi.Transport;
import dev.realtime.spi.TransportContext;
import jakarta.websocket.server.ServerEndpointConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket transport as a Jakarta WebSocket (JSR 356) endpoint at {@code /app/{key}},
 * portable to any Jakarta container (Tomcat, Spring Boot, Jetty ee10, Undertow). Mount it on the
 * container's {@code ServerContainer} once the node is built:
 * <pre>{@code
 * JakartaWebSocketTransport ws = JakartaWebSocketTransport.builder().build();
 * Realtime realtime = Realtime.builder().app(id, key, secret).transport(ws).build();
 * ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
 * container.addEndpoint(ws.endpointConfig());
 * }</pre>
 * (In Spring Boot: expose {@code ws.endpointConfig()} as a {@code ServerEndpointConfig} bean next to a
 * {@code ServerEndpointExporter}; on Jetty ee10: {@code JakartaWebSocketServletContainerInitializer.configure(context,
 * (sc, container) -> container.addEndpoint(ws.endpointConfig()))}.)
 */
public final class JakartaWebSocketTransport implements Transport {
    /** The endpoint's path template. */
    public static final String PATH = "/app/{key}";

    private final OriginPolicy origins;
    private final int maxMessageBytesOverride;
    private final Duration idleTimeoutOverride;
    private final OutboundStats stats = new OutboundStats();
    /** The threads that write queued frames (started with the transport), so a fan-out only queues. */
    private WriteScheduler writes;
    private final Set<JakartaConnection> connections = ConcurrentHashMap.newKeySet();
    /** Runs Jakarta's blocking ping and close calls; idle threads die, so an idle node holds none. */
    private final ExecutorService control;
    private volatile TransportContext context;
    private volatile boolean stopped;

    private JakartaWebSocketTransport(Builder b) {
        this.origins = new OriginPolicy(b.origins);
        this.maxMessageBytesOverride = b.maxMessageBytes;
        this.idleTimeoutOverride = b.idleTimeout;
        AtomicInteger n = new AtomicInteger();
        this.control = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "realtime-jakarta-ws-control-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A transport with the defaults: every origin allowed, the node's message size limit. */
    public JakartaWebSocketTransport() {
        this(builder());
    }

    /** Options: allowed origins, max message size, idle timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint to register with {@code ServerContainer.addEndpoint(…)}: path {@link #PATH}, origin check, one endpoint per connection. */
    public ServerEndpointConfig endpointConfig() {
        return ServerEndpointConfig.Builder.create(JakartaEndpoint.class, PATH)
                .configurator(new Configurator())
                .build();
    }

    @Override
    public synchronized void start(TransportContext context) {
        this.context = context;
        this.stopped = false;
        if (writes == null) {
            writes = new WriteScheduler("realtime-jakarta-ws-writer", WriteScheduler.defaultThreads());
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

    OutboundStats stats() {
        return stats;
    }

    ExecutorService control() {
        return control;
    }

    void opened(JakartaConnection c) {
        connections.add(c);
    }

    void closed(JakartaConnection c) {
        connections.remove(c);
    }

    int maxMessageBytes() {
        if (maxMessageBytesOverride > 0) {
            return maxMessageBytesOverride;
        }
        TransportContext c = context;
        return c == null ? Limits.DEFAULT_MAX_MESSAGE_BYTES : c.limits().maxMessageBytes();
    }

    Duration idleTimeout() {
        if (idleTimeoutOverride != null) {
            return idleTimeoutOverride;
        }
        return JettyWebSocketTransport.defaultIdleTimeout(context);
    }

    /** Creates endpoints bound to this transport and applies the origin allow-list (403 otherwise). */
    private final class Configurator extends ServerEndpointConfig.Configurator {
        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(new JakartaEndpoint(JakartaWebSocketTransport.this));
        }

        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return origins.allows(originHeaderValue);
        }
    }

    /** Builds a {@link JakartaWebSocketTransport}. */
    public static final class Builder {
        private final Set<String> origins = new LinkedHashSet<>();
        private int maxMessageBytes;
        private Duration idleTimeout;

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
         * Session idle timeout and async send timeout. Default: twice the node's activity timeout plus
         * {@link JettyWebSocketTransport#IDLE_TIMEOUT_MARGIN}, so the node's ping/pong check (4201) comes first.
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive, got " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** The transport; pass it to {@code Realtime.builder().transport(…)}, then mount {@link #endpointConfig()}. */
        public JakartaWebSocketTransport build() {
            return new JakartaWebSocketTransport(this);
        }
    }
}
