package dev.realtime.server;

import dev.realtime.Realtime;
import dev.realtime.spi.Transport;
import dev.realtime.websocket.JettyWebSocketTransport;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded host: Jetty 12 (core, no servlets) on one port, serving the WebSocket endpoint
 * {@code /app/{key}}, the auth endpoints ({@code /broadcasting/auth}, {@code /pusher/auth},
 * {@code /broadcasting/user-auth}, {@code /pusher/user-auth}), the Pusher HTTP API
 * ({@code /apps/{id}/…}) and {@code GET /health}.
 *
 * <pre>{@code
 * Realtime realtime = Realtime.builder().app("id", "key", "secret")
 *     .transport(RealtimeServer.websocketTransport())   // before build(): transports start with the node
 *     .build();
 * RealtimeServer server = RealtimeServer.on(realtime).port(6001).websocket().start();
 * }</pre>
 *
 * <p>Why this shape: a {@link Transport} must be registered before {@link dev.realtime.RealtimeBuilder#build()},
 * while the server is configured after, on a built {@link Realtime} (as DESIGN.md promises). So the
 * transport is created first by {@link #websocketTransport()}; when the node starts it, it records
 * which node it belongs to, and {@link Builder#websocket()} finds it from the node alone. Nothing
 * else is global; forgetting the transport fails {@link Builder#start()} with a message that shows
 * the line to add. The server does not own the node: {@link #stop()} stops Jetty, and the
 * application closes its {@code Realtime} itself.
 */
public final class RealtimeServer implements AutoCloseable {
    /** The port when none is set (Soketi's and Reverb's default too). */
    public static final int DEFAULT_PORT = 6001;
    /** The interface when none is set: all of them. */
    public static final String DEFAULT_HOST = "0.0.0.0";
    /** Max bytes of an HTTP request body (HTTP API, auth endpoints); larger bodies get 413. */
    public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 256 * 1024;
    /** How long {@link #stop()} lets requests in flight finish. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

    static final Logger LOG = LoggerFactory.getLogger(RealtimeServer.class);

    private final Server jetty;
    private final ServerConnector connector;
    private final Realtime realtime;
    private final String host;
    private volatile boolean ready;

    private RealtimeServer(Builder b) {
        this.realtime = b.realtime;
        this.host = b.host;
        QueuedThreadPool threads = new QueuedThreadPool(b.maxThreads);
        threads.setName("realtime-http");
        this.jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        this.connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(b.host);
        connector.setPort(b.port);
        jetty.addConnector(connector);
        Handler app = new ServerHandler(realtime, b.maxRequestBodyBytes,
                b.nowSeconds, () -> ready);
        Handler websocket = b.websocketTransport != null ? WebSocketMount.handler(b.websocketTransport, jetty)
                : b.websocket ? WebSocketMount.handler(realtime, jetty) : null;
        jetty.setHandler(websocket == null ? app : new Handler.Sequence(websocket, app));
        jetty.setStopTimeout(b.stopTimeout.toMillis());
    }

    /** Starts configuring a server for {@code realtime}. */
    public static Builder on(Realtime realtime) {
        return new Builder(Objects.requireNonNull(realtime, "realtime"));
    }

    /**
     * A new Jetty core WebSocket transport: pass it to {@code Realtime.builder().transport(…)}, then
     * {@link Builder#websocket()} mounts it.
     */
    public static Transport websocketTransport() {
        return WebSocketMount.register(new JettyWebSocketTransport());
    }

    /**
     * As {@link #websocketTransport()}, over a transport configured by the application (allowed
     * origins, message size, idle timeout: see {@link JettyWebSocketTransport#builder()}).
     */
    public static Transport websocketTransport(JettyWebSocketTransport configured) {
        return WebSocketMount.register(configured);
    }

    private RealtimeServer startJetty() {
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("cannot start the server on " + host + ":" + connector.getPort() + ": " + e.getMessage(), e);
        }
        ready = true;
        return this;
    }

    /** The port the server listens on (the bound one when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The base URL, e.g. {@code http://localhost:6001} ({@code localhost} when bound to all interfaces). */
    public String url() {
        String h = host == null || host.equals("0.0.0.0") || host.equals("::") || host.isEmpty() ? "localhost" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port();
    }

    /** The node this server serves. */
    public Realtime realtime() {
        return realtime;
    }

    /** Whether the server is started and not stopping. */
    public boolean isRunning() {
        return ready && jetty.isRunning();
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops accepting requests, lets those in flight finish (up to the stop timeout) and closes the port; idempotent. */
    public void stop() {
        ready = false;
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the server did not stop cleanly: " + e.getMessage(), e);
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Configures a {@link RealtimeServer}; {@link #start()} validates and starts it. */
    public static final class Builder {
        private final Realtime realtime;
        private int port = DEFAULT_PORT;
        private String host = DEFAULT_HOST;
        private boolean websocket;
        private JettyWebSocketTransport websocketTransport;
        private int maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;
        private int maxThreads = 200;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private LongSupplier nowSeconds = () -> System.currentTimeMillis() / 1000;

        private Builder(Realtime realtime) {
            this.realtime = realtime;
        }

        /** The port, 0 for a random free one; default {@value RealtimeServer#DEFAULT_PORT}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The interface to listen on; default all ({@value RealtimeServer#DEFAULT_HOST}). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Serves WebSocket connections at {@code /app/{key}} through the node's {@link #websocketTransport()}. */
        public Builder websocket() {
            this.websocket = true;
            return this;
        }

        /**
         * Serves WebSocket connections at {@code /app/{key}} through {@code transport}, a transport the
         * application registered itself with {@code Realtime.builder().transport(transport)}.
         */
        public Builder websocket(JettyWebSocketTransport transport) {
            this.websocketTransport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Max bytes of an HTTP request body; default 256 KB. */
        public Builder maxRequestBodyBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxRequestBodyBytes must be at least 1024, got " + bytes);
            }
            this.maxRequestBodyBytes = bytes;
            return this;
        }

        /** Max threads of the HTTP thread pool; default 200. */
        public Builder maxThreads(int threads) {
            if (threads < 8) {
                throw new IllegalArgumentException("maxThreads must be at least 8, got " + threads);
            }
            this.maxThreads = threads;
            return this;
        }

        /** How long {@link RealtimeServer#stop()} waits for requests in flight; default 5 s. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout, "stopTimeout");
            return this;
        }

        /** The clock HTTP API timestamps are checked against, in epoch seconds; for tests. */
        Builder clock(LongSupplier nowSeconds) {
            this.nowSeconds = Objects.requireNonNull(nowSeconds, "nowSeconds");
            return this;
        }

        /** Starts the server and returns it running; fails with the reason when it cannot listen. */
        public RealtimeServer start() {
            return new RealtimeServer(this).startJetty();
        }
    }
}
