package dev.realtime.broker.rabbitmq;

import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Settings of a {@link RabbitMqBroker}; every setting has a default but the URI.
 * <pre>{@code
 * RabbitMqBroker broker = RabbitMqBroker.builder().uri("amqps://app:secret@rabbit.internal/realtime")
 *     .exchange("chat").build();
 * }</pre>
 */
public final class RabbitMqBrokerBuilder {
    /** The cluster's exchange: every node of one cluster must use the same. */
    public static final String DEFAULT_EXCHANGE = "realtime";
    /** Envelopes waiting to be published; past that, publishes are dropped (and logged). */
    public static final int DEFAULT_PUBLISH_QUEUE_CAPACITY = 10_000;
    /** Connection and RPC timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** AMQP heartbeat: a server silent for about twice this long is taken as gone. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    /** The first wait before reconnecting; it doubles after each failed attempt. */
    public static final Duration DEFAULT_RECONNECT_DELAY_MIN = Duration.ofMillis(200);
    /** The longest wait between reconnection attempts. */
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(5);
    /** Shown in the management UI and {@code rabbitmqctl list_connections}. */
    public static final String DEFAULT_CONNECTION_NAME = "realtime";

    private static final AtomicInteger THREADS = new AtomicInteger();

    private String uri;
    private String exchange = DEFAULT_EXCHANGE;
    private int publishQueueCapacity = DEFAULT_PUBLISH_QUEUE_CAPACITY;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration heartbeat = DEFAULT_HEARTBEAT;
    private Duration reconnectDelayMin = DEFAULT_RECONNECT_DELAY_MIN;
    private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
    private String connectionName = DEFAULT_CONNECTION_NAME;
    private SSLContext sslContext;

    RabbitMqBrokerBuilder() {
    }

    /** {@code amqp://[user:password@]host[:port][/vhost]}, or {@code amqps://} for TLS. Required. */
    public RabbitMqBrokerBuilder uri(String uri) {
        this.uri = uri;
        return this;
    }

    /** The cluster's direct exchange (declared durable if missing); separates clusters sharing a vhost. */
    public RabbitMqBrokerBuilder exchange(String exchange) {
        this.exchange = exchange;
        return this;
    }

    /** How many envelopes may wait to be published before further publishes are dropped. */
    public RabbitMqBrokerBuilder publishQueueCapacity(int publishQueueCapacity) {
        this.publishQueueCapacity = publishQueueCapacity;
        return this;
    }

    /** Connection and RPC timeout. */
    public RabbitMqBrokerBuilder timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** The AMQP heartbeat interval asked of the server. */
    public RabbitMqBrokerBuilder heartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
        return this;
    }

    /** Reconnection backoff: starts at {@code min}, doubles after each failure, capped at {@code max}. */
    public RabbitMqBrokerBuilder reconnectDelay(Duration min, Duration max) {
        this.reconnectDelayMin = min;
        this.reconnectDelayMax = max;
        return this;
    }

    /** The connection's name as the server shows it. */
    public RabbitMqBrokerBuilder connectionName(String connectionName) {
        this.connectionName = connectionName;
        return this;
    }

    /** The TLS context for {@code amqps://}; default: the JVM's default, with host name verification. */
    public RabbitMqBrokerBuilder sslContext(SSLContext sslContext) {
        this.sslContext = sslContext;
        return this;
    }

    /** Validates the settings; the connection opens at {@link RabbitMqBroker#start}. */
    public RabbitMqBroker build() {
        List<String> problems = new ArrayList<>();
        ConnectionFactory factory = factory(problems);
        if (exchange == null || !exchange.matches("[A-Za-z0-9_.:-]{1,255}") || exchange.startsWith("amq.")) {
            problems.add("exchange must be 1-255 characters of [A-Za-z0-9_.:-], not starting with 'amq.', got '"
                    + exchange + "'");
        }
        if (publishQueueCapacity < 1) {
            problems.add("publishQueueCapacity must be at least 1, got " + publishQueueCapacity);
        }
        if (timeout == null || timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
            problems.add("timeout must be positive (milliseconds), got " + timeout);
        }
        if (heartbeat == null || heartbeat.toSeconds() < 1) {
            problems.add("heartbeat must be at least 1 second, got " + heartbeat);
        }
        if (reconnectDelayMin == null || reconnectDelayMax == null || reconnectDelayMin.toMillis() < 1
                || reconnectDelayMax.compareTo(reconnectDelayMin) < 0) {
            problems.add("reconnectDelay needs 0 < min <= max, got " + reconnectDelayMin + " and " + reconnectDelayMax);
        }
        if (connectionName == null || connectionName.isBlank()) {
            problems.add("connectionName must not be blank");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("RabbitMQ broker configuration is invalid:\n  - " + String.join("\n  - ", problems));
        }
        int millis = (int) timeout.toMillis();
        factory.setConnectionTimeout(millis);
        factory.setHandshakeTimeout(millis);
        factory.setChannelRpcTimeout(millis);
        factory.setShutdownTimeout(millis);
        factory.setRequestedHeartbeat((int) heartbeat.toSeconds());
        factory.setAutomaticRecoveryEnabled(true);
        // the broker restores its own queue, bindings and consumer (a recovered server-named queue gets a new name)
        factory.setTopologyRecoveryEnabled(false);
        long min = reconnectDelayMin.toMillis();
        long max = reconnectDelayMax.toMillis();
        factory.setRecoveryDelayHandler(attempt -> Math.min(max, min << Math.min(attempt, 20)));
        factory.setThreadFactory(r -> {
            Thread t = new Thread(r, "realtime-rabbitmq-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new RabbitMqBroker(new RabbitMqSettings(factory, exchange, publishQueueCapacity, timeout,
                reconnectDelayMin, reconnectDelayMax, connectionName, display(factory)));
    }

    private ConnectionFactory factory(List<String> problems) {
        ConnectionFactory factory = new ConnectionFactory();
        String expected = "expected amqp://[user:password@]host[:port][/vhost] or amqps://...";
        if (uri == null || uri.isBlank()) {
            problems.add("uri is required: " + expected);
            return factory;
        }
        try {
            URI u = new URI(uri);
            if (u.getHost() == null) {
                problems.add("uri has no host: " + expected);
                return factory;
            }
            factory.setUri(u);
            if ("amqps".equalsIgnoreCase(u.getScheme())) {
                // setUri trusts every certificate for amqps; verify them instead
                factory.useSslProtocol(sslContext != null ? sslContext : SSLContext.getDefault());
                factory.enableHostnameVerification();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            problems.add("uri is invalid (" + e.getMessage() + "): " + expected);
        } catch (GeneralSecurityException e) {
            problems.add("TLS is not available: " + e);
        }
        return factory;
    }

    private static String display(ConnectionFactory f) {
        return (f.isSSL() ? "amqps://" : "amqp://") + f.getHost() + ":" + f.getPort() + "/" + f.getVirtualHost();
    }
}
