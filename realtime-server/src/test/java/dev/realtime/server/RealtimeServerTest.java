package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realtime.Realtime;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RealtimeServerTest {

    @Test
    void healthAnswersOkWhileRunning() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport()) {
            HttpResponse<String> r = t.get("/health");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(t.server.isRunning()).isTrue();
        }
    }

    @Test
    void unknownPathsAreJson404s() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport()) {
            HttpResponse<String> r = t.get("/nothing/here");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(ServerJson.readOrNull(r.body()).get("error").asText()).contains("/nothing/here");
            assertThat(t.get("/app/" + t.key).statusCode()).as("a plain GET on the WebSocket path").isEqualTo(404);
        }
    }

    @Test
    void theHeaderTimeoutClosesASilentConnectionAndAHalfSentUpgradeButNotAnUpgradedOne() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport(b -> { }, s -> s.requestHeaderTimeout(java.time.Duration.ofSeconds(1)));
             RawHttp silent = RawHttp.connect(t.server.port());
             RawHttp halfSent = RawHttp.connect(t.server.port());
             RawHttp upgraded = RawHttp.connect(t.server.port())) {
            halfSent.send("GET /app/" + t.key + "?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: web");
            upgraded.send("GET /app/" + t.key + "?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertThat(upgraded.readHead()).startsWith("HTTP/1.1 101").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(silent.closedByServer(java.time.Duration.ofSeconds(5))).as("a connection that sends nothing").isTrue();
            assertThat(halfSent.closedByServer(java.time.Duration.ofSeconds(5))).as("an upgrade request never finished").isTrue();
            assertThat(upgraded.closedByServer(java.time.Duration.ofSeconds(2))).as("an upgraded connection").isFalse();
            assertThat(t.server.headerTimeouts()).isEqualTo(2);
        }
    }

    @Test
    void portZeroBindsARandomPortAndUrlNamesIt() {
        try (Realtime realtime = Realtime.builder().app("a", "k", "s").build();
             RealtimeServer server = RealtimeServer.on(realtime).port(0).start()) {
            assertThat(server.port()).isPositive();
            assertThat(server.url()).isEqualTo("http://localhost:" + server.port());
            assertThat(server.realtime()).isSameAs(realtime);
        }
    }

    @Test
    void stopReleasesThePortAndLeavesTheNodeOpen() throws Exception {
        try (Realtime realtime = Realtime.builder().app("a", "k", "s").build()) {
            RealtimeServer server = RealtimeServer.on(realtime).host("127.0.0.1").port(0).start();
            int port = server.port();
            HttpClient http = HttpClient.newHttpClient();
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            server.stop();
            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
            realtime.broadcast("still", "works", "{}");
            try (RealtimeServer again = RealtimeServer.on(realtime).host("127.0.0.1").port(port).start()) {
                assertThat(again.port()).isEqualTo(port);
            }
        }
    }

    @Test
    void aTakenPortFailsWithTheReason() {
        try (Realtime realtime = Realtime.builder().app("a", "k", "s").build();
             RealtimeServer first = RealtimeServer.on(realtime).host("127.0.0.1").port(0).start()) {
            assertThatThrownBy(() -> RealtimeServer.on(realtime).host("127.0.0.1").port(first.port()).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start the server on 127.0.0.1:" + first.port());
        }
    }

    @Test
    void invalidSettingsAreRefusedAtOnce() {
        try (Realtime realtime = Realtime.builder().app("a", "k", "s").build()) {
            assertThatThrownBy(() -> RealtimeServer.on(realtime).port(70000)).hasMessageContaining("port must be 0-65535");
            assertThatThrownBy(() -> RealtimeServer.on(realtime).maxRequestBodyBytes(10)).hasMessageContaining("maxRequestBodyBytes");
            assertThatThrownBy(() -> RealtimeServer.on(realtime).maxAuthBodyBytes(100))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAuthBodyBytes must be at least 256, got 100");
            assertThatThrownBy(() -> RealtimeServer.on(realtime).minRequestBodyRate(-1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minRequestBodyRate must be 0 (off)");
            assertThatThrownBy(() -> RealtimeServer.on(realtime).requestBodyTimeout(java.time.Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("requestBodyTimeout must be positive, got PT0S");
            assertThatThrownBy(() -> RealtimeServer.on(realtime).requestHeaderTimeout(java.time.Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("requestHeaderTimeout must be positive, got PT-1S");
            assertThatThrownBy(() -> RealtimeServer.on(realtime).requestHeaderTimeout(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> RealtimeServer.on(realtime).maxInFlightRequestsPerIp(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("maxInFlightRequestsPerIp must be at least 1, got 0");
            assertThatThrownBy(() -> RealtimeServer.on(realtime).backlog(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("backlog must be 1-65535, got 0");
            assertThatThrownBy(() -> RealtimeServer.on(realtime).backlog(70000)).hasMessage("backlog must be 1-65535, got 70000");
            assertThatThrownBy(() -> RealtimeServer.on(realtime).stopTimeout(java.time.Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stopTimeout must not be negative");
        }
    }

    @Test
    void jettysOwnErrorsAreJsonToo() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport();
             java.net.Socket socket = new java.net.Socket("127.0.0.1", t.server.port())) {
            socket.getOutputStream().write("GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 400").contains("application/json").contains("{\"error\":");
        }
    }
}
