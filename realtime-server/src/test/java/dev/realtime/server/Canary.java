package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket client (the JDK's) subscribed to a channel of the server under attack: while it keeps
 * receiving what a backend publishes through the HTTP API, the server is serving.
 */
final class Canary implements AutoCloseable {
    private static final String CHANNEL = "canary";
    private final ServerTestSupport t;
    private final WebSocketMountTest.Socket socket;
    private final AtomicInteger sent = new AtomicInteger();

    private Canary(ServerTestSupport t, WebSocketMountTest.Socket socket) {
        this.t = t;
        this.socket = socket;
    }

    /** Connects and subscribes to the channel {@code canary}. */
    static Canary open(ServerTestSupport t) throws Exception {
        WebSocketMountTest.Socket s = WebSocketMountTest.Socket.open(
                t.server.url().replace("http", "ws") + "/app/" + t.key + "?protocol=7&client=js&version=8.4.0");
        s.next("pusher:connection_established");
        s.ws.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + CHANNEL + "\"}}", true);
        s.next("pusher_internal:subscription_succeeded");
        return new Canary(t, s);
    }

    /** Publishes an event through the signed HTTP API and asserts the canary receives it; also checks {@code /health}. */
    void assertServing(String when) throws Exception {
        assertThat(t.get("/health").statusCode()).as("/health " + when).isEqualTo(200);
        String tag = when + " #" + sent.incrementAndGet();
        HttpResponse<String> r = t.api("POST", "/apps/" + t.appId + "/events", Map.of(),
                "{\"name\":\"tweet\",\"channel\":\"" + CHANNEL + "\",\"data\":" + ServerJson.quote(tag) + "}");
        assertThat(r.statusCode()).as("publish " + when + ": " + r.body()).isEqualTo(200);
        assertThat(ServerJson.readOrNull(socket.next("tweet")).get("data").asText()).as("the canary's event " + when).isEqualTo(tag);
    }

    @Override
    public void close() {
        socket.ws.abort();
    }
}
