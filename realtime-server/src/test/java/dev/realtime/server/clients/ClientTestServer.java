package dev.realtime.server.clients;

import dev.realtime.Member;
import dev.realtime.Realtime;
import dev.realtime.User;
import dev.realtime.http.HttpMode;
import dev.realtime.http.HttpTransport;
import dev.realtime.longpoll.LongPolling;
import dev.realtime.server.RealtimeServer;
import dev.realtime.sse.Sse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link Realtime} node behind a {@link RealtimeServer} on a random port, configured the way the
 * real-client suites expect: {@code Authorization: Bearer <userId>} (or {@code ?token=<userId>}) identifies user {@code <userId>}
 * named {@code "User <userId>"}; private and presence channels are allowed unless their name
 * contains {@code forbidden}; presence members carry the user's name. {@link #restart()} brings up a
 * fresh node on the same port, as a redeployed server would.
 */
final class ClientTestServer implements AutoCloseable {
    static final String APP_ID = "client-suite";
    static final String APP_KEY = "client-suite-key";
    static final String APP_SECRET = "client-suite-secret";
    /** Short, so pusher-js pings (and the server pings the Java client) during the suites. */
    static final Duration ACTIVITY_TIMEOUT = Duration.ofSeconds(7);
    /** Short, so a client that does not answer pings would be dropped within the idle test. */
    static final Duration PONG_TIMEOUT = Duration.ofSeconds(3);
    /**
     * The HTTP transports' timing, short so that a pusher-js client that disconnects over
     * {@code xhr_streaming} (found by a heartbeat write failing) or {@code xhr_polling} (its held poll
     * answered, then no next poll within the session timeout) leaves presence within the suite's 10 s.
     */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    static final Duration POLL_TIMEOUT = Duration.ofSeconds(3);
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);

    private Realtime realtime;
    private RealtimeServer server;
    private int port;

    private ClientTestServer() {
    }

    /** Starts a node and its server on a random free port. */
    static ClientTestServer start() {
        ClientTestServer s = new ClientTestServer();
        s.startOn(0);
        return s;
    }

    /** The info the authenticator gives user {@code id}; the Node suite's {@code infoOf} mirrors it. */
    static Map<String, Object> infoOf(String id) {
        return Map.of("name", "User " + id);
    }

    static Realtime newNode() {
        return Realtime.builder()
                .app(APP_ID, APP_KEY, APP_SECRET)
                .authenticator(request -> {
                    // A bearer token, or ?token= for EventSource (which cannot send headers).
                    String token = request.bearerToken() != null ? request.bearerToken() : request.parameter("token");
                    return token == null ? null : User.of(token, infoOf(token));
                })
                .authorize("private-*", (user, channel) -> !channel.name().contains("forbidden"))
                .presence("presence-*", (user, channel) -> channel.name().contains("forbidden")
                        ? null : Member.of(user.id(), Map.of("name", user.info().get("name"))))
                .clientEvents(true)
                .activityTimeout(ACTIVITY_TIMEOUT)
                .pongTimeout(PONG_TIMEOUT)
                .build();
    }

    private synchronized void startOn(int requestedPort) {
        Realtime node = newNode();
        RuntimeException failure = null;
        // The port of a server just stopped can take a moment to be free again.
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                server = RealtimeServer.on(node).host("127.0.0.1").port(requestedPort).websocket().http(httpTransport()).start();
                realtime = node;
                port = server.port();
                return;
            } catch (RuntimeException e) {
                failure = e;
                sleep(100);
            }
        }
        node.close();
        throw new IllegalStateException("cannot start the server on port " + requestedPort, failure);
    }

    /** Every HTTP mode, timed for the suite. */
    static HttpTransport httpTransport() {
        List<HttpMode> modes = new ArrayList<>(List.of(Sse.all()));
        modes.addAll(List.of(LongPolling.all()));
        return HttpTransport.builder().modes(modes.toArray(HttpMode[]::new))
                .heartbeatInterval(HEARTBEAT_INTERVAL)
                .pollTimeout(POLL_TIMEOUT)
                .sessionTimeout(SESSION_TIMEOUT)
                .build();
    }

    /** Stops the server and its node, then starts fresh ones on the same port. */
    synchronized void restart() {
        int samePort = port;
        stopAll();
        startOn(samePort);
    }

    synchronized Realtime realtime() {
        return realtime;
    }

    synchronized int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    private void stopAll() {
        try {
            if (server != null) {
                server.stop();
            }
        } finally {
            if (realtime != null) {
                realtime.close();
            }
            server = null;
            realtime = null;
        }
    }

    @Override
    public synchronized void close() {
        stopAll();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
