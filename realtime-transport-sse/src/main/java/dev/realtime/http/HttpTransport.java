package dev.realtime.http;

import dev.realtime.spi.DaemonThreads;
import dev.realtime.spi.OutboundStats;
import dev.realtime.spi.Transport;
import dev.realtime.spi.TransportContext;
import dev.realtime.spi.WriteScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The HTTP transports: sessions that outlive each HTTP request, for clients that cannot use a
 * WebSocket. The modes it serves come from the transport modules: {@code Sse.xhrStreaming()} and
 * {@code Sse.eventSource()} (realtime-transport-sse), {@code LongPolling.xhrPolling()} and
 * {@code LongPolling.json()} (realtime-transport-longpoll). One transport, one session registry:
 * pusher-js falls back from {@code xhr_streaming} to {@code xhr_polling} on the same paths, and a
 * container maps one servlet to them.
 * <pre>{@code
 * HttpTransport http = HttpTransport.builder()
 *         .modes(Sse.xhrStreaming(), Sse.eventSource(), LongPolling.xhrPolling(), LongPolling.json())
 *         .build();
 * Realtime realtime = Realtime.builder().app(id, key, secret).transport(http).build();
 * // (the Jetty and servlet adapters are separate classes, so this one loads, and can be a Spring bean,
 * // with neither Jetty nor the servlet API on the class path)
 * // Jetty 12 core: new Handler.Sequence(JettyHttpHandler.of(http), otherHandlers)   (serves /pusher/app/…)
 * // any Servlet 6 container: HttpTransportServlet.of(http) mapped to /pusher/* with async support
 * }</pre>
 *
 * <p>Each session is a node connection whose frames go through an {@code OutboundQueue}; each
 * response that carries them attaches to it and detaches when it ends, so a stream that reopens or a
 * poll that comes back loses and repeats no frame. A session that goes {@link Builder#sessionTimeout
 * without a request} is closed (its presence removed, the listener told). Sessions are bound to the
 * address that opened them, and the server-issued ones to a secret only that client received.
 */
public final class HttpTransport implements Transport {
    /** Where the Jetty handler serves, as pusher-js builds its URLs from {@code httpPath} (its default). */
    public static final String DEFAULT_PATH = "/pusher";
    /** Open sessions at most, over all clients; more get 503. */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    /** Open sessions at most from one address; more get 429. */
    public static final int DEFAULT_MAX_SESSIONS_PER_IP = 100;
    /** The longest an open stream goes without a byte (a heartbeat is written then). */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(25);
    /** How long a poll is held when there is nothing to send; then it is answered with a heartbeat. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(25);
    /** How long a closing session may take to deliver its last frames and close before it is dropped. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(15);
    /** The close code of the sessions of a transport that stops: Pusher's "reconnect now". */
    public static final int STOPPING_CODE = 4200;

    private final Settings settings;
    private final OutboundStats stats = new OutboundStats();
    private final HttpSessions sessions;
    private WriteScheduler writes;
    private ScheduledThreadPoolExecutor timer;
    private volatile TransportContext context;
    private volatile boolean stopped;

    private HttpTransport(Builder b) {
        this.settings = new Settings(b);
        this.sessions = new HttpSessions(this, settings);
    }

    /** Settings: the modes, the session limits and timeouts, the mount path, allowed origins. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void start(TransportContext context) {
        this.context = context;
        this.stopped = false;
        if (writes == null) {
            writes = new WriteScheduler("realtime-http-writer", WriteScheduler.defaultThreads());
            timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("realtime-http-timer"));
            timer.setRemoveOnCancelPolicy(true);
        }
    }

    /**
     * Stops accepting sessions and ends the open ones ({@value #STOPPING_CODE}, so pusher-js reconnects at
     * once): a session is a node connection only while its client keeps coming back, and no client can
     * once the server stops. Call {@link #closeSessions()} first to give the held responses their close.
     */
    @Override
    public synchronized void stop() {
        stopped = true;
        sessions.endAll(STOPPING_CODE, "the server is stopping");
        if (writes != null) {
            writes.stop();
            timer.shutdownNow();
            writes = null;
            timer = null;
        }
    }

    /** The dispatcher a Jetty handler or servlet of this transport serves through. */
    HttpDispatcher dispatcher() {
        return new HttpDispatcher(this, sessions, settings);
    }

    /** The path the transport serves below, as pusher-js's {@code httpPath} ({@value #DEFAULT_PATH} by default). */
    public String path() {
        return settings.path;
    }

    /**
     * Closes every open session with {@value #STOPPING_CODE}: each held stream or poll gets the close and
     * ends, so that a server stopping gracefully has no held request to wait for. Any thread.
     */
    public void closeSessions() {
        sessions.closeAll(STOPPING_CODE, "the server is stopping");
    }

    /** Frames and writes so far, over all sessions (shows the write coalescing). */
    public OutboundStats outboundStats() {
        return stats;
    }

    /** Sessions open now. */
    public int sessionCount() {
        return sessions.count();
    }

    /** The names of the modes served, e.g. {@code [xhr_streaming, xhr]}. */
    public List<String> modes() {
        return List.copyOf(settings.modes.keySet());
    }

    /** The node's context, or null when not started or stopped. */
    TransportContext context() {
        return stopped ? null : context;
    }

    synchronized WriteScheduler writes() {
        return writes;
    }

    synchronized ScheduledExecutorService timer() {
        return timer;
    }

    OutboundStats stats() {
        return stats;
    }

    /** The settings, read by the session layer. */
    static final class Settings {
        final String path;
        final Map<String, HttpMode> modes;
        final Duration sessionTimeout;
        final Duration heartbeatInterval;
        final Duration pollTimeout;
        final Duration closeTimeout;
        final int maxSessions;
        final int maxSessionsPerIp;
        final int maxSendBytes;
        final Origins origins;

        Settings(Builder b) {
            this.path = b.path;
            this.modes = Map.copyOf(b.modes);
            this.sessionTimeout = b.sessionTimeout;
            this.heartbeatInterval = b.heartbeatInterval;
            this.pollTimeout = b.pollTimeout;
            this.closeTimeout = b.closeTimeout;
            this.maxSessions = b.maxSessions;
            this.maxSessionsPerIp = b.maxSessionsPerIp;
            this.maxSendBytes = b.maxSendBytes;
            this.origins = new Origins(b.origins);
        }
    }

    /** Builds an {@link HttpTransport}; {@link #build()} checks the settings together. */
    public static final class Builder {
        private final Map<String, HttpMode> modes = new LinkedHashMap<>();
        private final Set<String> origins = new LinkedHashSet<>();
        private String path = DEFAULT_PATH;
        private Duration sessionTimeout;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private int maxSessions = DEFAULT_MAX_SESSIONS;
        private int maxSessionsPerIp = DEFAULT_MAX_SESSIONS_PER_IP;
        private int maxSendBytes;

        private Builder() {
        }

        /** Adds modes to serve (each under its name); at least one is needed. */
        public Builder modes(HttpMode... modes) {
            for (HttpMode m : modes) {
                this.modes.put(Objects.requireNonNull(m, "mode").name(), m);
            }
            return this;
        }

        /**
         * The path the Jetty handler serves below, as pusher-js's {@code httpPath} (default
         * {@value HttpTransport#DEFAULT_PATH}; "" for the root). The servlet serves wherever it is mapped.
         */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            return this;
        }

        /**
         * How long a session may go without a request (no stream open, no poll waiting) before it is
         * closed: its presence removed, the listener's {@code connectionClosed} called. Default: the
         * node's activity timeout. A client that vanishes while a poll is held is closed at most the
         * {@link #pollTimeout} later than that.
         */
        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = positive(timeout, "sessionTimeout");
            return this;
        }

        /** The longest an open stream stays silent: a heartbeat is written then ({@code h}, {@code : keep-alive}). Default 25 s. */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive(interval, "heartbeatInterval");
            return this;
        }

        /** How long a poll waits for frames before it is answered with a heartbeat. Default 25 s. */
        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = positive(timeout, "pollTimeout");
            return this;
        }

        /** How long a closing session may take to deliver its last frames and its close. Default 15 s. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive(timeout, "closeTimeout");
            return this;
        }

        /** Open sessions at most, over all clients; past it a new session gets 503. Default 10 000. */
        public Builder maxSessions(int sessions) {
            this.maxSessions = sessions;
            return this;
        }

        /**
         * Open sessions at most from one remote address; past it a new session gets 429. Default 100;
         * raise it when many clients share an address (a proxy, a NAT).
         */
        public Builder maxSessionsPerIp(int sessions) {
            this.maxSessionsPerIp = sessions;
            return this;
        }

        /**
         * Max bytes of one upstream POST ({@code xhr_send}, a send to a server-issued session); larger
         * get 413. Default: twice the node's {@code maxMessageBytes} (a frame JSON-escaped in an array).
         */
        public Builder maxSendBytes(int bytes) {
            this.maxSendBytes = bytes;
            return this;
        }

        /**
         * Browser origins allowed, e.g. {@code "https://app.example"}: others get 403, and these may
         * send cookies (CORS with credentials, for an {@code EventSource} opened {@code withCredentials}).
         * Default: none listed, every origin allowed without credentials ({@code Access-Control-Allow-Origin: *}).
         */
        public Builder allowedOrigins(String... origins) {
            return allowedOrigins(Arrays.asList(origins));
        }

        /** As {@link #allowedOrigins(String...)}. */
        public Builder allowedOrigins(Collection<String> origins) {
            for (String o : origins) {
                if (o == null || o.isBlank() || o.equals("*")) {
                    throw new IllegalArgumentException("allowed origins are like https://app.example, got '" + o + "'");
                }
                this.origins.add(o);
            }
            return this;
        }

        /** The transport; fails with every setting to change when they do not fit. */
        public HttpTransport build() {
            List<String> problems = new ArrayList<>();
            if (modes.isEmpty()) {
                problems.add("no modes: add some with modes(Sse.xhrStreaming(), LongPolling.xhrPolling(), …)");
            }
            if (maxSessions < 1) {
                problems.add("maxSessions must be at least 1, got " + maxSessions);
            }
            if (maxSessionsPerIp < 1) {
                problems.add("maxSessionsPerIp must be at least 1, got " + maxSessionsPerIp);
            }
            if (maxSessionsPerIp > maxSessions && maxSessions >= 1) {
                maxSessionsPerIp = maxSessions;
            }
            if (maxSendBytes < 0) {
                problems.add("maxSendBytes must be positive (or 0 for the default), got " + maxSendBytes);
            }
            if (!path.isEmpty() && !path.startsWith("/")) {
                problems.add("path must start with '/', got '" + path + "'");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("HttpTransport: " + String.join("; ", problems));
            }
            return new HttpTransport(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
