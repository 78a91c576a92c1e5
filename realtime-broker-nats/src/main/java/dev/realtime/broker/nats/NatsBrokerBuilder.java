package dev.realtime.broker.nats;

import io.nats.client.Options;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Settings of a {@link NatsBroker}; every setting has a default but the URI.
 * <pre>{@code
 * NatsBroker broker = NatsBroker.builder().uri("tls://app:secret@nats-1.internal:4222,tls://nats-2.internal:4222")
 *     .subjectPrefix("chat").build();
 * }</pre>
 */
public final class NatsBrokerBuilder {
    /** Put before every subject; separates clusters sharing one NATS. */
    public static final String DEFAULT_SUBJECT_PREFIX = "realtime";
    /** Envelopes waiting to be written; past that, publishes are dropped (and logged). */
    public static final int DEFAULT_PUBLISH_QUEUE_CAPACITY = 10_000;
    /** Connection timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** How often the server is pinged; two unanswered pings mark the connection dead. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(2);
    /** The first wait before reconnecting; it doubles after each failed attempt. */
    public static final Duration DEFAULT_RECONNECT_DELAY_MIN = Duration.ofMillis(100);
    /** The longest wait between reconnection attempts. */
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(5);
    /** Shown by the server's monitoring ({@code /connz}). */
    public static final String DEFAULT_CONNECTION_NAME = "realtime";

    private static final Set<String> SCHEMES = Set.of("nats", "tls", "ws", "wss");

    private String uri;
    private String subjectPrefix = DEFAULT_SUBJECT_PREFIX;
    private int publishQueueCapacity = DEFAULT_PUBLISH_QUEUE_CAPACITY;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration pingInterval = DEFAULT_PING_INTERVAL;
    private Duration reconnectDelayMin = DEFAULT_RECONNECT_DELAY_MIN;
    private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
    private String connectionName = DEFAULT_CONNECTION_NAME;
    private SSLContext sslContext;

    NatsBrokerBuilder() {
    }

    /**
     * {@code nats://[user:password@|token@]host[:port]}, {@code tls://} for TLS (the JVM's trust
     * store); several servers of one NATS cluster separated by commas. Required.
     */
    public NatsBrokerBuilder uri(String uri) {
        this.uri = uri;
        return this;
    }

    /** Put before every subject: dot-separated tokens of {@code A-Z a-z 0-9 _ -}. */
    public NatsBrokerBuilder subjectPrefix(String subjectPrefix) {
        this.subjectPrefix = subjectPrefix;
        return this;
    }

    /** How many envelopes may wait to be written before further publishes are dropped. */
    public NatsBrokerBuilder publishQueueCapacity(int publishQueueCapacity) {
        this.publishQueueCapacity = publishQueueCapacity;
        return this;
    }

    /** Connection timeout. */
    public NatsBrokerBuilder timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** How often the server is pinged to notice it is gone. */
    public NatsBrokerBuilder pingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
        return this;
    }

    /** Reconnection backoff: starts at {@code min}, doubles after each failure, capped at {@code max}. */
    public NatsBrokerBuilder reconnectDelay(Duration min, Duration max) {
        this.reconnectDelayMin = min;
        this.reconnectDelayMax = max;
        return this;
    }

    /** The connection's name as the server shows it. */
    public NatsBrokerBuilder connectionName(String connectionName) {
        this.connectionName = connectionName;
        return this;
    }

    /** The TLS context for {@code tls://}; default: the JVM's default. */
    public NatsBrokerBuilder sslContext(SSLContext sslContext) {
        this.sslContext = sslContext;
        return this;
    }

    /** Validates the settings; the connection opens at {@link NatsBroker#start}. */
    public NatsBroker build() {
        List<String> problems = new ArrayList<>();
        checkUri(problems);
        if (subjectPrefix == null || !subjectPrefix.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
            problems.add("subjectPrefix must be dot-separated tokens of [A-Za-z0-9_-], got '" + subjectPrefix + "'");
        }
        if (publishQueueCapacity < 1) {
            problems.add("publishQueueCapacity must be at least 1, got " + publishQueueCapacity);
        }
        if (timeout == null || timeout.toMillis() < 1) {
            problems.add("timeout must be positive, got " + timeout);
        }
        if (pingInterval == null || pingInterval.toMillis() < 1) {
            problems.add("pingInterval must be positive, got " + pingInterval);
        }
        if (reconnectDelayMin == null || reconnectDelayMax == null || reconnectDelayMin.toMillis() < 1
                || reconnectDelayMax.compareTo(reconnectDelayMin) < 0) {
            problems.add("reconnectDelay needs 0 < min <= max, got " + reconnectDelayMin + " and " + reconnectDelayMax);
        }
        if (connectionName == null || connectionName.isBlank()) {
            problems.add("connectionName must not be blank");
        }
        Options.Builder options = null;
        if (problems.isEmpty()) {
            long min = reconnectDelayMin.toMillis();
            long max = reconnectDelayMax.toMillis();
            options = Options.builder().server(uri).connectionName(connectionName).connectionTimeout(timeout)
                    .pingInterval(pingInterval).maxPingsOut(2)
                    .maxReconnects(-1).reconnectWait(reconnectDelayMin)
                    .reconnectDelayHandler(tries -> Duration.ofMillis(Math.min(max, min << Math.min(tries, 20))))
                    // nothing buffered while disconnected: dropped and counted, as with every broker here
                    .reconnectBufferSize(0)
                    .maxMessagesInOutgoingQueue(publishQueueCapacity).discardMessagesWhenOutgoingQueueFull();
            if (sslContext != null) {
                options.sslContext(sslContext);
            }
            try {
                options.build(); // let jnats check the URI as well
            } catch (IllegalArgumentException | IllegalStateException e) {
                problems.add("uri is not accepted by jnats: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("NATS broker configuration is invalid:\n  - " + String.join("\n  - ", problems));
        }
        return new NatsBroker(options, subjectPrefix, timeout, display());
    }

    private void checkUri(List<String> problems) {
        String expected = "expected nats://[user:password@|token@]host[:port] or tls://..., comma-separated for several";
        if (uri == null || uri.isBlank()) {
            problems.add("uri is required: " + expected);
            return;
        }
        for (String one : uri.split(",")) {
            try {
                URI u = new URI(one.trim());
                if (u.getScheme() == null || !SCHEMES.contains(u.getScheme().toLowerCase())) {
                    problems.add("uri scheme must be one of " + SCHEMES + ", got '" + u.getScheme() + "' in '"
                            + redact(one) + "': " + expected);
                } else if (u.getHost() == null) {
                    problems.add("uri has no host: '" + redact(one) + "': " + expected);
                }
            } catch (URISyntaxException e) {
                problems.add("uri is not a valid URI (" + e.getMessage() + "): " + expected);
            }
        }
    }

    private String display() {
        List<String> out = new ArrayList<>();
        for (String one : uri.split(",")) {
            out.add(redact(one.trim()));
        }
        return String.join(",", out);
    }

    /** The URI without credentials, for logs. */
    private static String redact(String uri) {
        try {
            URI u = new URI(uri.trim());
            return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        } catch (URISyntaxException e) {
            return "(invalid URI)";
        }
    }
}
