package dev.realtime;

import dev.realtime.internal.AuthorizerRegistry;
import dev.realtime.internal.Engine;
import dev.realtime.internal.EngineConfig;
import dev.realtime.spi.Broker;
import dev.realtime.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Configures and builds a {@link Realtime} node; {@link #build()} validates and says what to change. */
public final class RealtimeBuilder {
    /** Silence after which the server pings a connection; also sent to clients as {@code activity_timeout}. */
    public static final Duration DEFAULT_ACTIVITY_TIMEOUT = Duration.ofSeconds(30);
    /** How long a pinged connection has to answer before it is closed with 4201. */
    public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(30);
    /** How long a cache channel keeps its last event. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(30);
    /** Seconds between a node's heartbeats in a cluster. */
    public static final int DEFAULT_HEARTBEAT_SECONDS = 2;
    /** Seconds of silence after which another node is declared down. */
    public static final int DEFAULT_NODE_TIMEOUT_SECONDS = 6;

    private AppCredentials app;
    private Authenticator authenticator = Authenticator.ANONYMOUS;
    private final AuthorizerRegistry authorizers = new AuthorizerRegistry();
    private final List<RealtimeListener> listeners = new ArrayList<>();
    private final List<Transport> transports = new ArrayList<>();
    private Limits limits = Limits.defaults();
    private Broker broker;
    private String nodeId;
    private boolean clientEvents = true;
    private Duration activityTimeout = DEFAULT_ACTIVITY_TIMEOUT;
    private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
    private Duration cacheTtl = DEFAULT_CACHE_TTL;
    private Duration heartbeatInterval = Duration.ofSeconds(DEFAULT_HEARTBEAT_SECONDS);
    private Duration nodeTimeout = Duration.ofSeconds(DEFAULT_NODE_TIMEOUT_SECONDS);
    private byte[] encryptionMasterKey;
    private final List<String> problems = new ArrayList<>();

    RealtimeBuilder() {
    }

    /** The app's id, public key and secret (required). */
    public RealtimeBuilder app(String id, String key, String secret) {
        try {
            this.app = new AppCredentials(id, key, secret);
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        return this;
    }

    /** Finds the user behind auth-endpoint requests; default: everyone is anonymous. */
    public RealtimeBuilder authenticator(Authenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        return this;
    }

    /**
     * Authorizes private channels matching {@code pattern}: {@code {name}} matches one dot-free
     * segment and is readable with {@link ChannelRequest#param}; {@code *} matches anything. The most
     * specific matching pattern decides; an unmatched private channel is denied.
     */
    public RealtimeBuilder authorize(String pattern, ChannelAuthorizer authorizer) {
        try {
            authorizers.addPrivate(pattern, Objects.requireNonNull(authorizer, "authorizer"));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return this;
    }

    /** Authorizes presence channels matching {@code pattern} (as in {@link #authorize}); the authorizer returns the member. */
    public RealtimeBuilder presence(String pattern, PresenceAuthorizer authorizer) {
        try {
            authorizers.addPresence(pattern, Objects.requireNonNull(authorizer, "authorizer"));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return this;
    }

    /** Adds a listener; listeners run in order on the realtime event thread. */
    public RealtimeBuilder listener(RealtimeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Adds a transport; it is started by {@link #build()} and stopped by {@link Realtime#close()}. */
    public RealtimeBuilder transport(Transport transport) {
        transports.add(Objects.requireNonNull(transport, "transport"));
        return this;
    }

    /** The limits; default {@link Limits#defaults()}. */
    public RealtimeBuilder limits(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /** The broker that links this node to the others; default none (a single node). */
    public RealtimeBuilder broker(Broker broker) {
        this.broker = broker;
        return this;
    }

    /**
     * The broker given by URI, e.g. {@code redis://127.0.0.1:6379}, {@code amqp://guest:guest@127.0.0.1:5672}
     * or {@code nats://127.0.0.1:4222}, from the broker module on the classpath that serves its scheme
     * ({@link dev.realtime.spi.BrokerProvider}); {@code build()} fails saying which module to add.
     */
    public RealtimeBuilder broker(String uri) {
        try {
            this.broker = dev.realtime.spi.BrokerProvider.fromUri(uri);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return this;
    }

    /** This node's name in the cluster; default a random one. */
    public RealtimeBuilder nodeId(String nodeId) {
        this.nodeId = nodeId;
        return this;
    }

    /**
     * How often this node tells the others it is alive, with a digest of its presence entries and
     * subscription counts (a cluster only); default {@value #DEFAULT_HEARTBEAT_SECONDS} s.
     */
    public RealtimeBuilder heartbeatInterval(Duration interval) {
        this.heartbeatInterval = Objects.requireNonNull(interval, "heartbeatInterval");
        return this;
    }

    /**
     * How long another node may stay silent before it is declared down and its connections' presence
     * removed everywhere (a cluster only); default {@value #DEFAULT_NODE_TIMEOUT_SECONDS} s, at least
     * twice the heartbeat interval.
     */
    public RealtimeBuilder nodeTimeout(Duration timeout) {
        this.nodeTimeout = Objects.requireNonNull(timeout, "nodeTimeout");
        return this;
    }

    /** Whether clients may send {@code client-} events on private and presence channels; default true. */
    public RealtimeBuilder clientEvents(boolean enabled) {
        this.clientEvents = enabled;
        return this;
    }

    /** Silence before the server pings a connection; whole seconds from 1 s; default 30 s. */
    public RealtimeBuilder activityTimeout(Duration timeout) {
        this.activityTimeout = Objects.requireNonNull(timeout, "activityTimeout");
        return this;
    }

    /** Time a pinged connection has to answer before it is closed with 4201; default 30 s. */
    public RealtimeBuilder pongTimeout(Duration timeout) {
        this.pongTimeout = Objects.requireNonNull(timeout, "pongTimeout");
        return this;
    }

    /** How long cache channels keep their last event; default 30 min. */
    public RealtimeBuilder cacheTtl(Duration ttl) {
        this.cacheTtl = Objects.requireNonNull(ttl, "cacheTtl");
        return this;
    }

    /** The base64 32-byte master key from which {@code private-encrypted-} channels' shared secrets derive. */
    public RealtimeBuilder encryptionMasterKey(String base64) {
        try {
            byte[] key = Base64.getDecoder().decode(Objects.requireNonNull(base64, "encryptionMasterKey"));
            if (key.length != 32) {
                problems.add("encryptionMasterKey must decode to 32 bytes, got " + key.length);
            } else {
                this.encryptionMasterKey = key;
            }
        } catch (IllegalArgumentException e) {
            problems.add("encryptionMasterKey is not valid base64: " + e.getMessage());
        }
        return this;
    }

    /** Validates the settings, starts the broker and transports, and returns the running node. */
    public Realtime build() {
        List<String> errors = new ArrayList<>(problems);
        if (app == null && problems.isEmpty()) {
            errors.add("no app credentials: call app(id, key, secret)");
        }
        if (activityTimeout.toMillis() < 1000) {
            errors.add("activityTimeout must be at least 1 second, got " + activityTimeout);
        }
        if (pongTimeout.toMillis() < 100) {
            errors.add("pongTimeout must be at least 100 ms, got " + pongTimeout);
        }
        if (cacheTtl.isNegative() || cacheTtl.isZero()) {
            errors.add("cacheTtl must be positive, got " + cacheTtl);
        }
        if (heartbeatInterval.toMillis() < 100) {
            errors.add("heartbeatInterval must be at least 100 ms, got " + heartbeatInterval);
        }
        if (nodeTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            errors.add("nodeTimeout (" + nodeTimeout + ") must be at least twice heartbeatInterval (" + heartbeatInterval + ")");
        }
        if (nodeId != null && (nodeId.isBlank() || !nodeId.matches("[A-Za-z0-9_.-]{1,64}"))) {
            errors.add("nodeId must be 1-64 characters of [A-Za-z0-9_.-], got '" + nodeId + "'");
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("Realtime configuration is invalid:\n  - " + String.join("\n  - ", errors));
        }
        EngineConfig config = new EngineConfig(app, authenticator, authorizers, List.copyOf(listeners), limits,
                broker, nodeId != null ? nodeId : "node-" + UUID.randomUUID().toString().substring(0, 8),
                clientEvents, activityTimeout, pongTimeout, cacheTtl, encryptionMasterKey, heartbeatInterval, nodeTimeout);
        Engine engine = new Engine(config);
        engine.start(List.copyOf(transports));
        return engine;
    }
}
