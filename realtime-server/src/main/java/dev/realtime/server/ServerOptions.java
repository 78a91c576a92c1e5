package dev.realtime.server;

import dev.realtime.RealtimeBuilder;
import java.time.Duration;
import java.util.Map;

/**
 * The standalone server's settings, from command-line flags and {@code REALTIME_*} environment
 * variables (flags win).
 *
 * @param port         the port, 0 for a random one
 * @param host         the interface to listen on
 * @param appId        the app id (HTTP API path {@code /apps/{id}})
 * @param appKey       the public key clients connect with
 * @param appSecret    the secret that signs auth and HTTP API requests
 * @param clientEvents whether clients may send {@code client-} events on private and presence channels
 * @param help         whether {@code --help} was asked for (then nothing else is checked)
 * @param tlsKeyStore  the key store to serve https/wss with, or null for plain http/ws
 * @param tlsPassword  the key store's password
 * @param backlog      the listen backlog ({@link RealtimeServer.Builder#backlog})
 * @param maxInFlightPerIp requests of the auth endpoints and HTTP API in flight at once per address
 *                     ({@link RealtimeServer.Builder#maxInFlightRequestsPerIp})
 * @param broker       the broker URI that links this node to the others ({@code redis://…}, {@code amqp://…},
 *                     {@code nats://…}), or null for a single node
 * @param nodeId       this node's name in the cluster, or null for a random one
 * @param heartbeatInterval how often this node tells the others it is alive ({@link RealtimeBuilder#heartbeatInterval})
 * @param nodeTimeout  silence after which another node is declared down ({@link RealtimeBuilder#nodeTimeout})
 * @param httpFallbacks whether the HTTP transports are served ({@link RealtimeServer.Builder#httpFallbacks}):
 *                     pusher-js's xhr_streaming and xhr_polling, text/event-stream, the JSON long-poll
 * @param maxHttpSessions open HTTP sessions at most ({@code HttpTransport.Builder#maxSessions})
 * @param maxHttpSessionsPerIp open HTTP sessions at most per address ({@code HttpTransport.Builder#maxSessionsPerIp})
 * @param maxThreads   the HTTP thread pool's size at most ({@link RealtimeServer.Builder#maxThreads})
 * @param warmupConnections loopback clients a throwaway server serves before the real one starts, so
 *                     that the JIT has compiled the connection path when the first storm comes; 0: none
 */
public record ServerOptions(int port, String host, String appId, String appKey, String appSecret,
                            boolean clientEvents, boolean help, java.nio.file.Path tlsKeyStore, String tlsPassword,
                            int backlog, int maxInFlightPerIp, String broker, String nodeId,
                            Duration heartbeatInterval, Duration nodeTimeout, boolean httpFallbacks, int maxHttpSessions,
                            int maxHttpSessionsPerIp, int maxThreads, int warmupConnections) {
    /** Loopback clients of the start-up warm-up when none is asked for. */
    public static final int DEFAULT_WARMUP_CONNECTIONS = 0;

    /** The cluster timings when none are given: the node's defaults. */
    static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(RealtimeBuilder.DEFAULT_HEARTBEAT_SECONDS);
    static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(RealtimeBuilder.DEFAULT_NODE_TIMEOUT_SECONDS);

    /** Options with the default cluster timings and the HTTP transports on with their default caps. */
    public ServerOptions(int port, String host, String appId, String appKey, String appSecret, boolean clientEvents,
                         boolean help, java.nio.file.Path tlsKeyStore, String tlsPassword, int backlog, int maxInFlightPerIp,
                         String broker, String nodeId) {
        this(port, host, appId, appKey, appSecret, clientEvents, help, tlsKeyStore, tlsPassword, backlog, maxInFlightPerIp,
                broker, nodeId, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_NODE_TIMEOUT, true,
                dev.realtime.http.HttpTransport.DEFAULT_MAX_SESSIONS, dev.realtime.http.HttpTransport.DEFAULT_MAX_SESSIONS_PER_IP,
                RealtimeServer.DEFAULT_MAX_THREADS, DEFAULT_WARMUP_CONNECTIONS);
    }

    /** Options of a single node, the HTTP transports on with their default caps. */
    public ServerOptions(int port, String host, String appId, String appKey, String appSecret, boolean clientEvents,
                         boolean help, java.nio.file.Path tlsKeyStore, String tlsPassword, int backlog, int maxInFlightPerIp) {
        this(port, host, appId, appKey, appSecret, clientEvents, help, tlsKeyStore, tlsPassword, backlog, maxInFlightPerIp,
                null, null);
    }

    /** Options without TLS, with the default backlog and per-address cap. */
    public ServerOptions(int port, String host, String appId, String appKey, String appSecret, boolean clientEvents,
                         boolean help) {
        this(port, host, appId, appKey, appSecret, clientEvents, help, null, null);
    }

    /** Options with the default backlog and per-address cap. */
    public ServerOptions(int port, String host, String appId, String appKey, String appSecret, boolean clientEvents,
                         boolean help, java.nio.file.Path tlsKeyStore, String tlsPassword) {
        this(port, host, appId, appKey, appSecret, clientEvents, help, tlsKeyStore, tlsPassword,
                RealtimeServer.DEFAULT_BACKLOG, RealtimeServer.DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_IP);
    }

    /** Thrown for options that cannot be used; the message says which flag or variable to fix. */
    public static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses {@code args}, falling back to {@code env} for what the flags do not give. */
    public static ServerOptions parse(String[] args, Map<String, String> env) {
        String port = null;
        String host = null;
        String id = null;
        String key = null;
        String secret = null;
        Boolean clientEvents = null;
        Boolean httpFallbacks = null;
        String tlsKeyStore = null;
        String tlsPassword = null;
        String backlog = null;
        String maxInFlight = null;
        String broker = null;
        String nodeId = null;
        String heartbeat = null;
        String nodeTimeout = null;
        String maxHttpSessions = null;
        String maxHttpSessionsPerIp = null;
        String maxThreads = null;
        String warmup = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (flag) {
                case "-h", "--help" -> {
                    return new ServerOptions(0, null, null, null, null, true, true);
                }
                case "--no-client-events" -> clientEvents = false;
                case "--no-http-fallbacks" -> httpFallbacks = false;
                case "--port" -> port = inline != null ? inline : value(args, i++, flag);
                case "--host" -> host = inline != null ? inline : value(args, i++, flag);
                case "--app-id" -> id = inline != null ? inline : value(args, i++, flag);
                case "--app-key" -> key = inline != null ? inline : value(args, i++, flag);
                case "--app-secret" -> secret = inline != null ? inline : value(args, i++, flag);
                case "--tls-keystore" -> tlsKeyStore = inline != null ? inline : value(args, i++, flag);
                case "--tls-password" -> tlsPassword = inline != null ? inline : value(args, i++, flag);
                case "--backlog" -> backlog = inline != null ? inline : value(args, i++, flag);
                case "--max-threads" -> maxThreads = inline != null ? inline : value(args, i++, flag);
                case "--warmup" -> warmup = inline != null ? inline : value(args, i++, flag);
                case "--max-in-flight-per-ip" -> maxInFlight = inline != null ? inline : value(args, i++, flag);
                case "--broker" -> broker = inline != null ? inline : value(args, i++, flag);
                case "--node-id" -> nodeId = inline != null ? inline : value(args, i++, flag);
                case "--heartbeat-interval-ms" -> heartbeat = inline != null ? inline : value(args, i++, flag);
                case "--node-timeout-ms" -> nodeTimeout = inline != null ? inline : value(args, i++, flag);
                case "--max-http-sessions" -> maxHttpSessions = inline != null ? inline : value(args, i++, flag);
                case "--max-http-sessions-per-ip" -> maxHttpSessionsPerIp = inline != null ? inline : value(args, i++, flag);
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        if (clientEvents == null) {
            String value = env.getOrDefault("REALTIME_CLIENT_EVENTS", "true").trim();
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new UsageException("REALTIME_CLIENT_EVENTS must be true or false, got '" + value + "'");
            }
            clientEvents = Boolean.parseBoolean(value.toLowerCase(java.util.Locale.ROOT));
        }
        if (httpFallbacks == null) {
            String value = env.getOrDefault("REALTIME_HTTP_FALLBACKS", "true").trim();
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new UsageException("REALTIME_HTTP_FALLBACKS must be true or false, got '" + value + "'");
            }
            httpFallbacks = Boolean.parseBoolean(value.toLowerCase(java.util.Locale.ROOT));
        }
        String portSource = port != null ? "--port" : "REALTIME_PORT";
        port = port != null ? port : env.get("REALTIME_PORT");
        host = host != null ? host : env.getOrDefault("REALTIME_HOST", RealtimeServer.DEFAULT_HOST);
        id = id != null ? id : env.get("REALTIME_APP_ID");
        key = key != null ? key : env.get("REALTIME_APP_KEY");
        secret = secret != null ? secret : env.get("REALTIME_APP_SECRET");

        StringBuilder missing = new StringBuilder();
        require(missing, id, "app id", "--app-id", "REALTIME_APP_ID");
        require(missing, key, "app key", "--app-key", "REALTIME_APP_KEY");
        require(missing, secret, "app secret", "--app-secret", "REALTIME_APP_SECRET");
        if (missing.length() > 0) {
            throw new UsageException(missing.toString().strip());
        }
        if (key.contains(":")) {
            throw new UsageException("the app key must not contain ':' (--app-key / REALTIME_APP_KEY)");
        }
        if (host.isBlank()) {
            throw new UsageException("the host must not be empty (--host / REALTIME_HOST)");
        }
        tlsKeyStore = tlsKeyStore != null ? tlsKeyStore : env.get("REALTIME_TLS_KEYSTORE");
        tlsPassword = tlsPassword != null ? tlsPassword : env.get("REALTIME_TLS_PASSWORD");
        java.nio.file.Path keyStorePath = null;
        if (tlsKeyStore != null && !tlsKeyStore.isBlank()) {
            keyStorePath = java.nio.file.Path.of(tlsKeyStore);
            if (!java.nio.file.Files.isReadable(keyStorePath)) {
                throw new UsageException("the TLS key store " + keyStorePath.toAbsolutePath()
                        + " is not a readable file (--tls-keystore / REALTIME_TLS_KEYSTORE)");
            }
            if (tlsPassword == null) {
                throw new UsageException("a TLS key store needs its password: pass --tls-password or set REALTIME_TLS_PASSWORD");
            }
        }
        int backlogValue = number(backlog, "--backlog", env, "REALTIME_BACKLOG", RealtimeServer.DEFAULT_BACKLOG, 1, 65535);
        int maxInFlightValue = number(maxInFlight, "--max-in-flight-per-ip", env, "REALTIME_MAX_IN_FLIGHT_PER_IP",
                RealtimeServer.DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_IP, 1, Integer.MAX_VALUE);
        broker = broker != null ? broker : env.get("REALTIME_BROKER");
        nodeId = nodeId != null ? nodeId : env.get("REALTIME_NODE_ID");
        if (broker != null && broker.isBlank()) {
            broker = null;
        }
        if (nodeId != null && !nodeId.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new UsageException("the node id must be 1-64 characters of A-Z a-z 0-9 _ . - (--node-id / REALTIME_NODE_ID), got '"
                    + nodeId + "'");
        }
        Duration heartbeatValue = Duration.ofMillis(number(heartbeat, "--heartbeat-interval-ms", env,
                "REALTIME_HEARTBEAT_INTERVAL_MS", (int) DEFAULT_HEARTBEAT_INTERVAL.toMillis(), 100, 3_600_000));
        Duration timeoutValue = Duration.ofMillis(number(nodeTimeout, "--node-timeout-ms", env, "REALTIME_NODE_TIMEOUT_MS",
                (int) DEFAULT_NODE_TIMEOUT.toMillis(), 200, 86_400_000));
        if (timeoutValue.compareTo(heartbeatValue.multipliedBy(2)) < 0) {
            throw new UsageException("the node timeout (" + timeoutValue.toMillis() + " ms) must be at least twice the heartbeat"
                    + " interval (" + heartbeatValue.toMillis() + " ms): raise --node-timeout-ms / REALTIME_NODE_TIMEOUT_MS"
                    + " or lower --heartbeat-interval-ms / REALTIME_HEARTBEAT_INTERVAL_MS");
        }
        int maxSessionsValue = number(maxHttpSessions, "--max-http-sessions", env, "REALTIME_MAX_HTTP_SESSIONS",
                dev.realtime.http.HttpTransport.DEFAULT_MAX_SESSIONS, 1, Integer.MAX_VALUE);
        int maxSessionsPerIpValue = number(maxHttpSessionsPerIp, "--max-http-sessions-per-ip", env,
                "REALTIME_MAX_HTTP_SESSIONS_PER_IP", dev.realtime.http.HttpTransport.DEFAULT_MAX_SESSIONS_PER_IP, 1, Integer.MAX_VALUE);
        int maxThreadsValue = number(maxThreads, "--max-threads", env, "REALTIME_MAX_THREADS",
                RealtimeServer.DEFAULT_MAX_THREADS, RealtimeServer.MIN_THREADS, 10_000);
        return new ServerOptions(port(port, portSource), host, id, key, secret, clientEvents, false, keyStorePath,
                keyStorePath == null ? null : tlsPassword, backlogValue, maxInFlightValue, broker, nodeId, heartbeatValue,
                timeoutValue, httpFallbacks, maxSessionsValue, maxSessionsPerIpValue, maxThreadsValue,
                number(warmup, "--warmup", env, "REALTIME_WARMUP", DEFAULT_WARMUP_CONNECTIONS, 0, 100_000));
    }

    /** The text {@code --help} prints. */
    public static String usage() {
        return """
                Usage: java -XX:+ExitOnOutOfMemoryError -jar realtime-server.jar \
                         --app-id ID --app-key KEY --app-secret SECRET [options]

                A Pusher Channels (protocol 7) compatible server: pusher-js, laravel-echo and the Pusher
                mobile and Java clients connect to ws://HOST:PORT/app/KEY; backends publish with their
                Pusher server SDK through the HTTP API at http://HOST:PORT/apps/ID/...
                Where WebSockets are blocked, pusher-js falls back to xhr_streaming and xhr_polling at
                http://HOST:PORT/pusher/app/KEY/...; EventSource and curl -N read
                http://HOST:PORT/pusher/app/KEY/sse?channels=a,b (a text/event-stream).

                Options (each also read from an environment variable; a flag wins):
                  --app-id ID           app id for the HTTP API               REALTIME_APP_ID
                  --app-key KEY         public key clients connect with       REALTIME_APP_KEY
                  --app-secret SECRET   secret that signs auth and API calls  REALTIME_APP_SECRET
                  --port PORT           port to listen on (default 6001)      REALTIME_PORT
                  --host HOST           interface to listen on (default 0.0.0.0)  REALTIME_HOST
                  --no-client-events    refuse client- events (allowed on private and presence
                                        channels by default)            REALTIME_CLIENT_EVENTS=false
                  --no-http-fallbacks   serve WebSocket only: no xhr_streaming / REALTIME_HTTP_FALLBACKS=false
                                        xhr_polling fallbacks, no text/event-stream or JSON
                                        long-poll under /pusher/app/KEY/ (served by default)
                  --max-http-sessions N  HTTP sessions open at most; more     REALTIME_MAX_HTTP_SESSIONS
                                        get 503 (default 10000)
                  --max-http-sessions-per-ip N  HTTP sessions one address may REALTIME_MAX_HTTP_SESSIONS_PER_IP
                                        hold; more get 429 (default 100; raise it behind a proxy)
                  --tls-keystore PATH   serve https/wss with this PKCS12 or   REALTIME_TLS_KEYSTORE
                                        JKS key store (default: plain http/ws)
                  --tls-password PW     the key store's password              REALTIME_TLS_PASSWORD
                  --backlog N           listen backlog: connections queued    REALTIME_BACKLOG
                                        before they are accepted (default 1024; Linux caps it at
                                        net.core.somaxconn)
                  --max-threads N       HTTP threads at most: the server never REALTIME_MAX_THREADS
                                        blocks on a client, so a few per core serve many
                                        connections (default 8 per core, at least 16)
                  --warmup N            before listening, serve N loopback    REALTIME_WARMUP
                                        clients on a throwaway server so that the JIT has compiled
                                        the connection path before the first storm (default 0,
                                        off; 3000 measured well)
                  --max-in-flight-per-ip N  auth and HTTP API requests one    REALTIME_MAX_IN_FLIGHT_PER_IP
                                        address may have in flight; more get 429 (default 64;
                                        raise it when every backend call comes through one proxy)
                  --help                print this text
                  --broker URI          run as one node of a cluster linked by REALTIME_BROKER
                                        this broker: redis://[user:pw@]host:6379,
                                        amqp://user:pw@host:5672 (RabbitMQ) or
                                        nats://host:4222 (default: a single node)
                  --node-id NAME        this node's name in the cluster       REALTIME_NODE_ID
                                        (default: a random one)
                  --heartbeat-interval-ms N  how often a node tells the      REALTIME_HEARTBEAT_INTERVAL_MS
                                        others it is alive (default 2000; a cluster only)
                  --node-timeout-ms N   silence after which another node is   REALTIME_NODE_TIMEOUT_MS
                                        declared down and its members removed (default 6000;
                                        at least twice the heartbeat interval)

                Private and presence channels: this server has no users of its own, so its
                /broadcasting/auth and /pusher/auth endpoints answer 401. Authorize subscriptions in
                your application's backend with its Pusher SDK (e.g. Laravel's broadcasting routes,
                pusher.authorizeChannel in Node) signed with the same key and secret, and point the
                client's authEndpoint (or a custom authorizer) at that backend.

                GET /health answers 200 {"status":"ok"} when the server is ready.

                Run it with -XX:+ExitOnOutOfMemoryError (as above) under a supervisor that restarts it
                (systemd, Docker, Kubernetes): a server out of memory exits instead of lingering.
                """;
    }

    private static String value(String[] args, int i, String flag) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException(flag + " needs a value");
        }
        return args[i + 1];
    }

    private static void require(StringBuilder missing, String value, String what, String flag, String env) {
        if (value == null || value.isBlank()) {
            missing.append("missing ").append(what).append(": pass ").append(flag).append(" or set ").append(env).append('\n');
        }
    }

    /** The flag's value, else the variable's, else {@code fallback}; a whole number in {@code min..max}. */
    private static int number(String flagValue, String flag, Map<String, String> env, String variable, int fallback,
                              int min, int max) {
        String source = flagValue != null ? flag : variable;
        String value = flagValue != null ? flagValue : env.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        String range = max == Integer.MAX_VALUE ? "of at least " + min : min + "-" + max;
        throw new UsageException(source + " must be a whole number " + range + ", got '" + value + "'");
    }

    private static int port(String value, String source) {
        if (value == null || value.isBlank()) {
            return RealtimeServer.DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(source + " must be a port number 0-65535, got '" + value + "'");
    }

    @Override
    public String toString() {
        return "ServerOptions[port=" + port + ", host=" + host + ", appId=" + appId + ", appKey=" + appKey
                + ", appSecret=***, clientEvents=" + clientEvents + ", help=" + help + ", tlsKeyStore=" + tlsKeyStore
                + ", tlsPassword=" + (tlsPassword == null ? null : "***") + ", backlog=" + backlog
                + ", maxInFlightPerIp=" + maxInFlightPerIp + ", broker=" + (broker == null ? null : broker.replaceAll("//[^@/]*@", "//***@"))
                + ", nodeId=" + nodeId + ", heartbeatInterval=" + heartbeatInterval + ", nodeTimeout=" + nodeTimeout
                + ", httpFallbacks=" + httpFallbacks + ", maxHttpSessions=" + maxHttpSessions
                + ", maxHttpSessionsPerIp=" + maxHttpSessionsPerIp + ", maxThreads=" + maxThreads + ", warmupConnections=" + warmupConnections + "]";
    }
}
