package dev.realtime.broker.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.SslOptions;

/**
 * Settings of a {@link RedisBroker}; every setting has a default but the URI.
 * <pre>{@code
 * RedisBroker broker = RedisBroker.builder().uri("rediss://user:secret@redis.internal:6380/0")
 *     .channelPrefix("chat:").build();
 * }</pre>
 */
public final class RedisBrokerBuilder {
    /** Put before every topic to make the Redis channel name; separates clusters sharing one Redis. */
    public static final String DEFAULT_CHANNEL_PREFIX = "realtime:";
    /** Envelopes waiting to be published; past that, publishes are dropped (and logged). */
    public static final int DEFAULT_PUBLISH_QUEUE_CAPACITY = 10_000;
    /** Connect and read timeout of each Redis command. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** How often the subscriber connection is pinged; three unanswered pings mark it dead. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(1);
    /** The first wait before reconnecting; it doubles after each failed attempt. */
    public static final Duration DEFAULT_RECONNECT_DELAY_MIN = Duration.ofMillis(100);
    /** The longest wait between reconnection attempts. */
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(5);

    private String uri;
    private String channelPrefix = DEFAULT_CHANNEL_PREFIX;
    private int publishQueueCapacity = DEFAULT_PUBLISH_QUEUE_CAPACITY;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration pingInterval = DEFAULT_PING_INTERVAL;
    private Duration reconnectDelayMin = DEFAULT_RECONNECT_DELAY_MIN;
    private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
    private SslOptions sslOptions;

    RedisBrokerBuilder() {
    }

    /** {@code redis://[[user]:password@]host[:port][/db]}, or {@code rediss://} for TLS. Required. */
    public RedisBrokerBuilder uri(String uri) {
        this.uri = uri;
        return this;
    }

    /**
     * Put before every topic to make the Redis channel name. Pub/sub channels are shared by all
     * databases of a Redis server, so this (not the db index) keeps clusters apart.
     */
    public RedisBrokerBuilder channelPrefix(String channelPrefix) {
        this.channelPrefix = channelPrefix;
        return this;
    }

    /** How many envelopes may wait to be published before further publishes are dropped. */
    public RedisBrokerBuilder publishQueueCapacity(int publishQueueCapacity) {
        this.publishQueueCapacity = publishQueueCapacity;
        return this;
    }

    /** Connect and read timeout of each Redis command. */
    public RedisBrokerBuilder timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** How often the subscriber connection is pinged to notice a dead server. */
    public RedisBrokerBuilder pingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
        return this;
    }

    /** Reconnection backoff: starts at {@code min}, doubles after each failure, capped at {@code max}. */
    public RedisBrokerBuilder reconnectDelay(Duration min, Duration max) {
        this.reconnectDelayMin = min;
        this.reconnectDelayMax = max;
        return this;
    }

    /** TLS for {@code rediss://} (trust store, key store, verification); default: the JVM's trust store, full verification. */
    public RedisBrokerBuilder sslOptions(SslOptions sslOptions) {
        this.sslOptions = sslOptions;
        return this;
    }

    /** Validates the settings; the connection opens at {@link RedisBroker#start}. */
    public RedisBroker build() {
        List<String> problems = new ArrayList<>();
        Endpoint endpoint = parse(uri, problems);
        if (channelPrefix == null) {
            problems.add("channelPrefix must not be null (use \"\" for none)");
        }
        if (publishQueueCapacity < 1) {
            problems.add("publishQueueCapacity must be at least 1, got " + publishQueueCapacity);
        }
        if (timeout == null || timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
            problems.add("timeout must be positive (milliseconds), got " + timeout);
        }
        if (pingInterval == null || pingInterval.toMillis() < 1) {
            problems.add("pingInterval must be positive, got " + pingInterval);
        }
        if (reconnectDelayMin == null || reconnectDelayMax == null || reconnectDelayMin.toMillis() < 1
                || reconnectDelayMax.compareTo(reconnectDelayMin) < 0) {
            problems.add("reconnectDelay needs 0 < min <= max, got " + reconnectDelayMin + " and " + reconnectDelayMax);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Redis broker configuration is invalid:\n  - " + String.join("\n  - ", problems));
        }
        return new RedisBroker(new RedisSettings(endpoint.hostAndPort(), config(endpoint, "realtime-sub"),
                config(endpoint, "realtime-pub"), channelPrefix, publishQueueCapacity, timeout, pingInterval,
                reconnectDelayMin, reconnectDelayMax, endpoint.display()));
    }

    private DefaultJedisClientConfig config(Endpoint e, String clientName) {
        int millis = (int) timeout.toMillis();
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder().clientName(clientName)
                .connectionTimeoutMillis(millis).socketTimeoutMillis(millis).database(e.database())
                // RESP2: this broker relies on a dedicated subscriber connection, not on RESP3 push messages
                .protocol(RedisProtocol.RESP2).autoNegotiateProtocol(false);
        if (e.user() != null) {
            b.user(e.user());
        }
        if (e.password() != null) {
            b.password(e.password());
        }
        if (e.tls()) {
            b.sslOptions(sslOptions != null ? sslOptions : SslOptions.defaults());
        }
        return b.build();
    }

    /** Where to connect, read from the URI. */
    private record Endpoint(HostAndPort hostAndPort, String user, String password, int database, boolean tls,
            String display) {
    }

    private static Endpoint parse(String uri, List<String> problems) {
        String expected = "expected redis://[[user]:password@]host[:port][/db] or rediss://...";
        if (uri == null || uri.isBlank()) {
            problems.add("uri is required: " + expected);
            return null;
        }
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            problems.add("uri is not a valid URI (" + e.getMessage() + "): " + expected);
            return null;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            problems.add("uri scheme must be redis or rediss, got '" + u.getScheme() + "': " + expected);
        }
        if (u.getHost() == null) {
            problems.add("uri has no host: " + expected);
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            problems.add("uri must not have a query or fragment: " + expected);
        }
        int db = 0;
        String path = u.getPath() == null ? "" : u.getPath();
        if (!path.isEmpty() && !path.equals("/")) {
            try {
                db = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                problems.add("uri path must be a database number, got '" + path + "'");
            }
        }
        String user = null;
        String password = null;
        String info = u.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = colon < 0 ? null : decode(info.substring(0, colon));
            password = decode(colon < 0 ? info : info.substring(colon + 1));
            if (user != null && user.isEmpty()) {
                user = null;
            }
        }
        if (u.getHost() == null) {
            return null;
        }
        int port = u.getPort() > 0 ? u.getPort() : 6379;
        String display = scheme + "://" + u.getHost() + ":" + port + (db > 0 ? "/" + db : "");
        return new Endpoint(new HostAndPort(u.getHost(), port), user, password, db, scheme.equals("rediss"), display);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
