package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realtime.Realtime;
import dev.realtime.websocket.JettyWebSocketTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WebSocketMountTest {

    /** A bare WebSocket client that queues every text message it receives. */
    static final class Socket implements WebSocket.Listener {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        static Socket open(String url) throws Exception {
            Socket s = new Socket();
            s.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), s).get(5, TimeUnit.SECONDS);
            return s;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closes.add(statusCode);
            return null;
        }

        String next(String event) throws InterruptedException {
            while (true) {
                String frame = frames.poll(5, TimeUnit.SECONDS);
                assertThat(frame).as("a frame with event " + event).isNotNull();
                if (ServerJson.readOrNull(frame).path("event").asText().equals(event)) {
                    return frame;
                }
            }
        }
    }

    @Test
    void aPublishThroughTheHttpApiReachesAWebSocketSubscriber() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport()) {
            Socket s = Socket.open(t.server.url().replace("http", "ws") + "/app/" + t.key + "?protocol=7&client=js&version=8.4.0");
            String established = s.next("pusher:connection_established");
            assertThat(ServerJson.readOrNull(ServerJson.readOrNull(established).get("data").asText()).get("socket_id").asText()).matches("\\d+\\.\\d+");
            s.ws.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"chat\"}}", true);
            s.next("pusher_internal:subscription_succeeded");
            HttpResponse<String> r = t.api("POST", "/apps/" + t.appId + "/events", Map.of(),
                    "{\"name\":\"greet\",\"channel\":\"chat\",\"data\":\"{\\\"text\\\":\\\"hi\\\"}\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String frame = s.next("greet");
            assertThat(ServerJson.readOrNull(frame).get("data").asText()).isEqualTo("{\"text\":\"hi\"}");
        }
    }

    @Test
    void anUnknownKeyIsClosedWith4001() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport()) {
            Socket s = Socket.open(t.server.url().replace("http", "ws") + "/app/nope?protocol=7");
            assertThat(s.closes.poll(5, TimeUnit.SECONDS)).isEqualTo(4001);
        }
    }

    @Test
    void aNodeBuiltWithoutTransportsGetsTheServersOne() throws Exception {
        try (Realtime realtime = Realtime.builder().app("a", "k", "s").build();
             RealtimeServer server = RealtimeServer.on(realtime).host("127.0.0.1").port(0).websocket().start()) {
            Socket s = Socket.open(server.url().replace("http", "ws") + "/app/k?protocol=7");
            s.next("pusher:connection_established");
            assertThat(realtime.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void anApplicationConfiguredTransportIsMountedAndEnforcesItsOrigins() throws Exception {
        JettyWebSocketTransport ws = JettyWebSocketTransport.builder().allowedOrigins("https://app.example").build();
        try (Realtime realtime = Realtime.builder().app("a", "k", "s").build();
             RealtimeServer server = RealtimeServer.on(realtime).host("127.0.0.1").port(0).websocket(ws).start()) {
            String url = server.url().replace("http", "ws") + "/app/k?protocol=7";
            Socket s = Socket.open(url);
            s.next("pusher:connection_established");
            assertThat(ws.connectionCount()).isEqualTo(1);
            assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", "https://evil.example")
                    .buildAsync(URI.create(url), new Socket()).get(5, TimeUnit.SECONDS))
                    .hasStackTraceContaining("403");
        }
    }

    @Test
    void stoppingTheServerClosesWebSocketsAndRefusesNewOnes() throws Exception {
        try (Realtime realtime = Realtime.builder().app("a", "k", "s").build()) {
            RealtimeServer server = RealtimeServer.on(realtime).host("127.0.0.1").port(0).websocket().start();
            Socket s = Socket.open(server.url().replace("http", "ws") + "/app/k?protocol=7");
            s.next("pusher:connection_established");
            server.stop();
            assertThat(s.closes.poll(5, TimeUnit.SECONDS)).as("close code").isNotNull();
            assertThat(server.isRunning()).isFalse();
        }
    }
}
