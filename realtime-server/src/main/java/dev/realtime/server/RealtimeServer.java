package dev.realtime.server;

import dev.realtime.Realtime;
import dev.realtime.http.HttpTransport;
import dev.realtime.websocket.JettyWebSocketTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
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
 * Realtime realtime = Realtime.builder().app("id", "key", "secret").authenticator(...).build();
 * RealtimeServer server = RealtimeServer.on(realtime).port(6001).websocket().start();
 * ...
 * server.stop();
 * realtime.close();
 * }</pre>
 *
 * <p>Why this shape: the server is configured on a built {@link Realtime} (as DESIGN.md promises), and
 * brings its own transport: {@link Builder#websocket()} makes a Jetty core WebSocket transport and
 * starts it on the node with {@link Realtime#addTransport}, so the application never handles a
 * transport object. To tune the transport (allowed origins, message size), build one with
 * {@code JettyWebSocketTransport.builder()} and pass it to {@link Builder#websocket(JettyWebSocketTransport)}.
 * The server does not own the node: {@link #stop()} stops Jetty and refuses new WebSocket upgrades;
 * the application closes its {@code Realtime} itself (which also stops the transport for good).
 *
 * <p>Abusive HTTP clients cost little: the HTTP API is authenticated from its query before a byte of
 * the body is read; bodies are read against a size limit, a minimum rate and a timeout (413, 408);
 * request headers against a timeout (slowloris connections are closed); one address has a capped number
 * of requests in flight (429); the listen backlog absorbs reconnect storms; and {@link #stop()} returns
 * in bounded time whatever the clients do. See the {@link Builder} settings.
 */
public final class RealtimeServer implements AutoCloseable {
    /** The port when none is set (Soketi's and Reverb's default too). */
    public static final int DEFAULT_PORT = 6001;
    /** The interface when none is set: all of them. */
    public static final String DEFAULT_HOST = "0.0.0.0";
    /** Max bytes of an HTTP API request body (pusher SDKs' batches need it); larger bodies get 413. */
    public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 256 * 1024;
    /** Max bytes of an auth endpoint's request body (pusher-js sends ~100); larger bodies get 413. */
    public static final int DEFAULT_MAX_AUTH_BODY_BYTES = 16 * 1024;
    /** The rate, in bytes per second, below which a request body gets 408 (after its first second). */
    public static final int DEFAULT_MIN_REQUEST_BODY_RATE = 1024;
    /** How long a whole request body may take to arrive before it gets 408. */
    public static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(30);
    /** How long a request's headers may take to arrive before the connection is closed. */
    public static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** Requests of the auth endpoints and the HTTP API in flight at once from one address; more get 429. */
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_IP = 64;
    /** The listen backlog: connections the kernel queues before they are accepted (capped by net.core.somaxconn on Linux). */
    public static final int DEFAULT_BACKLOG = 1024;

    /**
     * The HTTP thread pool's default size: 8 per core, at least 16. Nothing in the server blocks on
     * a client (WebSocket and HTTP streams are asynchronous), so more threads than that only add
     * stacks (a burst of handshakes grew Jetty's default pool of 200 to its maximum: ~2.5 KB of RSS
     * per idle connection at 10 000) and context switches. Raise it with {@link Builder#maxThreads}
     * when an {@code Authenticator} or authorizer blocks (a database call per auth request).
     */
    public static final int DEFAULT_MAX_THREADS = Math.max(16, 8 * Runtime.getRuntime().availableProcessors());

    /** The smallest pool Jetty runs with: its acceptor, selectors and reserved threads need some. */
    public static final int MIN_THREADS = 8;
    /** How long {@link #stop()} lets requests in flight finish. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);
    /** What {@link #stop()} may take beyond the stop timeout before it closes the remaining connections itself. */
    public static final Duration STOP_MARGIN = Duration.ofSeconds(2);

    static final Logger LOG = LoggerFactory.getLogger(RealtimeServer.class);

    private final Server jetty;
    private final ServerConnector connector;
    private final Realtime realtime;
    private final String host;
    private final boolean tls;
    private final WebSocketMount websocket;
    private final HttpMount httpMount;
    private final HeaderTimeout headerTimeout;
    private final ServerHandler handler;
    private final Duration stopTimeout;
    private volatile boolean ready;

    private RealtimeServer(Builder b) {
        this.realtime = b.realtime;
        this.host = b.host;
        QueuedThreadPool threads = new QueuedThreadPool(b.maxThreads);
        threads.setName("realtime-http");
        this.jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // the handler runs as soon as the headers are complete, so that an unauthenticated HTTP API call
        // is refused before its body is read
        http.setDelayDispatchUntilContent(false);
        // Jetty keeps a header-field cache per kept-alive connection (~36 KB once a second request comes):
        // a long-poll client is one kept-alive connection with a request every few seconds, so with the
        // cache its session costs ~110 KB of heap instead of ~12 KB. Parsing the few headers again is cheap.
        http.setHeaderCacheSize(0);
        this.tls = b.keyStore != null;
        this.connector = tls ? tlsConnector(jetty, http, b) : new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.setAcceptQueueSize(b.backlog);
        this.headerTimeout = new HeaderTimeout(b.requestHeaderTimeout);
        connector.addEventListener(headerTimeout);
        jetty.addConnector(connector);
        this.handler = new ServerHandler(realtime, b.httpLimits(), new AuthCors(b.authOrigins), b.nowSeconds, () -> ready);
        this.websocket = b.websocket ? WebSocketMount.mount(realtime, b.websocketTransport, jetty) : null;
        this.httpMount = b.sse || b.longPolling || b.httpTransport != null
                ? HttpMount.mount(realtime, b.httpTransport, b.sse, b.longPolling) : null;
        List<Handler> handlers = new ArrayList<>();
        if (websocket != null) {
            handlers.add(websocket.handler());
            if (!tls) {
                // the Pusher clients' upgrades are answered before Jetty's HTTP parsing; all else goes on to it
                connector.addFirstConnectionFactory(websocket.connectionFactory());
            }
        }
        if (httpMount != null) {
            handlers.add(httpMount.handler());
        }
        handlers.add(handler);
        Handler routes = handlers.size() == 1 ? handler : new Handler.Sequence(handlers);
        jetty.setHandler(headerTimeout.wrap(new LingeringClose(routes)));
        jetty.setErrorHandler(new JsonErrorHandler());
        this.stopTimeout = b.stopTimeout;
        jetty.setStopTimeout(b.stopTimeout.toMillis());
        threads.setStopTimeout(b.stopTimeout.toMillis());
    }

    /** A connector that speaks TLS with the key pair of the given key store (PKCS12 or JKS), HTTP/1.1 inside. */
    private static ServerConnector tlsConnector(Server jetty, HttpConfiguration http, Builder b) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(b.keyStore.toAbsolutePath().toString());
        ssl.setKeyStorePassword(b.keyStorePassword);
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Certificates are often issued for a name the client does not use locally (127.0.0.1): don't refuse on SNI.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        return new ServerConnector(jetty, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
    }

    /** Starts configuring a server for {@code realtime}. */
    public static Builder on(Realtime realtime) {
        return new Builder(Objects.requireNonNull(realtime, "realtime"));
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
            stopTransports();
            throw new IllegalStateException("cannot start the server on " + host + ":" + connector.getPort() + ": " + e.getMessage(), e);
        }
        headerTimeout.start(jetty.getScheduler());
        ready = true;
        return this;
    }

    /** The port the server listens on (the bound one when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The base URL, e.g. {@code http://localhost:6001} ({@code https} with TLS; {@code localhost} when bound to all interfaces). */
    public String url() {
        String h = host == null || host.equals("0.0.0.0") || host.equals("::") || host.isEmpty() ? "localhost" : host;
        return (tls ? "https://" : "http://") + (h.contains(":") ? "[" + h + "]" : h) + ":" + port();
    }

    /** The connector, for tests (its accept queue size). */
    ServerConnector connector() {
        return connector;
    }

    /** The plain HTTP handler, for tests (its in-flight counts). */
    ServerHandler handler() {
        return handler;
    }

    /** How many connections were closed because their request headers did not arrive in time. */
    long headerTimeouts() {
        return headerTimeout.dropped();
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

    /**
     * Stops accepting requests, lets those in flight finish (up to the stop timeout) and closes the port;
     * idempotent. It returns within the stop timeout plus {@link #STOP_MARGIN} whatever the clients do:
     * past that, the connections still open are closed hard and Jetty finishes stopping in the background.
     */
    public void stop() {
        ready = false;
        headerTimeout.stop();
        if (httpMount != null) {
            httpMount.closeSessions(); // held streams and polls end with 4200 instead of holding the stop up
        }
        try {
            BoundedStop.stop(jetty, connector, stopTimeout, stopTimeout.plus(STOP_MARGIN));
        } finally {
            stopTransports();
        }
    }

    private void stopTransports() {
        try {
            if (websocket != null) {
                websocket.stop();
            }
        } finally {
            if (httpMount != null) {
                httpMount.stop();
            }
        }
    }

    /** The HTTP transports' sessions open now (0 without them). */
    public int httpSessionCount() {
        return httpMount == null ? 0 : httpMount.transport().sessionCount();
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
        private boolean sse;
        private boolean longPolling;
        private HttpTransport httpTransport;
        private int maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;
        private int maxAuthBodyBytes = DEFAULT_MAX_AUTH_BODY_BYTES;
        private int minRequestBodyRate = DEFAULT_MIN_REQUEST_BODY_RATE;
        private Duration requestBodyTimeout = DEFAULT_REQUEST_BODY_TIMEOUT;
        private Duration requestHeaderTimeout = DEFAULT_REQUEST_HEADER_TIMEOUT;
        private int maxInFlightRequestsPerIp = DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_IP;
        private int backlog = DEFAULT_BACKLOG;
        private int maxThreads = DEFAULT_MAX_THREADS;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private Set<String> authOrigins = Set.of();
        private LongSupplier nowSeconds = () -> System.currentTimeMillis() / 1000;
        private Path keyStore;
        private String keyStorePassword;

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

        /** Serves WebSocket connections at {@code /app/{key}}: {@link #start()} adds a default Jetty transport to the node. */
        public Builder websocket() {
            this.websocket = true;
            return this;
        }

        /**
         * Serves WebSocket connections at {@code /app/{key}} through {@code transport}, configured by the
         * application (allowed origins, message size, idle timeout); {@link #start()} adds it to the node,
         * so do not also give it to {@code Realtime.builder().transport(…)}.
         */
        public Builder websocket(JettyWebSocketTransport transport) {
            this.websocketTransport = Objects.requireNonNull(transport, "transport");
            this.websocket = true;
            return this;
        }

        /**
         * Serves server push over HTTP below {@code /pusher/app/{key}/…}: pusher-js's {@code xhr_streaming}
         * fallback and a {@code text/event-stream} for EventSource and {@code curl -N}.
         */
        public Builder sse() {
            this.sse = true;
            return this;
        }

        /**
         * Serves long-polling below {@code /pusher/app/{key}/…}: pusher-js's {@code xhr_polling} fallback
         * and a plain JSON long-poll.
         */
        public Builder longPolling() {
            this.longPolling = true;
            return this;
        }

        /**
         * Serves every HTTP transport ({@link #sse()} and {@link #longPolling()}), so pusher-js and Echo
         * clients keep working where WebSockets are blocked (pusher-js options {@code httpHost},
         * {@code httpPort}, {@code enabledTransports}).
         */
        public Builder httpFallbacks() {
            return sse().longPolling();
        }

        /**
         * Serves the HTTP transports through {@code transport}, configured by the application (its modes,
         * session caps and timeouts, path); {@link #start()} adds it to the node, so do not also give it to
         * {@code Realtime.builder().transport(…)}. Its path must not be one of the server's own.
         */
        public Builder http(HttpTransport transport) {
            this.httpTransport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Serves TLS (https, wss) with the certificate and key in {@code keyStore} (PKCS12 or JKS);
         * default plain HTTP (put TLS in front, or use this). Clients then connect with {@code forceTLS: true}.
         */
        public Builder tls(Path keyStore, String password) {
            Objects.requireNonNull(keyStore, "keyStore");
            if (!java.nio.file.Files.isReadable(keyStore)) {
                throw new IllegalArgumentException("TLS key store " + keyStore.toAbsolutePath() + " is not a readable file");
            }
            this.keyStore = keyStore;
            this.keyStorePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Max bytes of an HTTP API request body; default 256 KB. A larger {@code Content-Length} gets 413
         * before a byte is read, a larger chunked body 413 as it passes the limit.
         */
        public Builder maxRequestBodyBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxRequestBodyBytes must be at least 1024, got " + bytes);
            }
            this.maxRequestBodyBytes = bytes;
            return this;
        }

        /** Max bytes of an auth endpoint's request body (anyone may call those); default 16 KB, larger get 413. */
        public Builder maxAuthBodyBytes(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("maxAuthBodyBytes must be at least 256, got " + bytes);
            }
            this.maxAuthBodyBytes = bytes;
            return this;
        }

        /**
         * The minimum average rate, in bytes per second, at which a request body must arrive once its first
         * second has passed; slower bodies get 408 and the connection is closed. Default 1024; 0 turns the
         * rate off (the {@link #requestBodyTimeout} still applies).
         */
        public Builder minRequestBodyRate(int bytesPerSecond) {
            if (bytesPerSecond < 0) {
                throw new IllegalArgumentException("minRequestBodyRate must be 0 (off) or more bytes per second, got " + bytesPerSecond);
            }
            this.minRequestBodyRate = bytesPerSecond;
            return this;
        }

        /** How long a whole request body may take to arrive; later gets 408 and the connection is closed. Default 30 s. */
        public Builder requestBodyTimeout(Duration timeout) {
            this.requestBodyTimeout = positive(timeout, "requestBodyTimeout");
            return this;
        }

        /**
         * How long a request's headers may take to arrive, from the connection's opening (or the first byte of
         * a next request on a kept-alive connection); past it the connection is closed without an answer.
         * WebSocket connections are not affected once upgraded. Default 10 s.
         */
        public Builder requestHeaderTimeout(Duration timeout) {
            this.requestHeaderTimeout = positive(timeout, "requestHeaderTimeout");
            return this;
        }

        /**
         * How many requests to the auth endpoints and the HTTP API one remote address may have in flight (body
         * being read, or being handled) at once; more get 429 and their connection is closed. Default 64,
         * far above what a backend publishing in parallel uses; raise it when every caller comes through
         * one proxy address. WebSocket upgrades and {@code /health} do not count.
         */
        public Builder maxInFlightRequestsPerIp(int requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("maxInFlightRequestsPerIp must be at least 1, got " + requests);
            }
            this.maxInFlightRequestsPerIp = requests;
            return this;
        }

        /**
         * The listen backlog (Jetty's accept queue size): connections the kernel completes and queues before
         * the server accepts them, so a reconnect storm waits in the queue instead of on SYN retransmits.
         * Default 1024. Linux caps it at {@code net.core.somaxconn} (4096 on recent kernels, 128 on old ones).
         */
        public Builder backlog(int connections) {
            if (connections < 1 || connections > 65535) {
                throw new IllegalArgumentException("backlog must be 1-65535, got " + connections);
            }
            this.backlog = connections;
            return this;
        }

        /**
         * Origins (e.g. {@code "https://app.example"}) whose pages may call the auth endpoints with
         * credentials (cookies). Default: none listed, so any origin may call them without credentials
         * (CORS {@code *}), which covers pusher-js and Echo sending a bearer token or CSRF header.
         */
        public Builder authOrigins(String... origins) {
            Set<String> set = new LinkedHashSet<>();
            for (String o : origins) {
                if (o == null || o.isBlank() || o.equals("*")) {
                    throw new IllegalArgumentException("authOrigins takes origins like https://app.example, got '" + o + "'");
                }
                set.add(o);
            }
            this.authOrigins = set;
            return this;
        }

        /** Max threads of the HTTP thread pool; default {@link #DEFAULT_MAX_THREADS} (8 per core, at least 16). */
        public Builder maxThreads(int threads) {
            if (threads < MIN_THREADS) {
                throw new IllegalArgumentException("maxThreads must be at least 8, got " + threads);
            }
            this.maxThreads = threads;
            return this;
        }

        /**
         * How long {@link RealtimeServer#stop()} waits for requests in flight; default 5 s. {@code stop()}
         * returns within this plus 2 s even when clients hold their connections.
         */
        public Builder stopTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "stopTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("stopTimeout must not be negative, got " + timeout);
            }
            this.stopTimeout = timeout;
            return this;
        }

        private static Duration positive(Duration timeout, String setting) {
            Objects.requireNonNull(timeout, setting);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(setting + " must be positive, got " + timeout);
            }
            return timeout;
        }

        HttpLimits httpLimits() {
            return new HttpLimits(
                    new BodyReader.Limits(maxRequestBodyBytes, minRequestBodyRate, requestBodyTimeout, "maxRequestBodyBytes"),
                    new BodyReader.Limits(maxAuthBodyBytes, minRequestBodyRate, requestBodyTimeout, "maxAuthBodyBytes"),
                    maxInFlightRequestsPerIp);
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
