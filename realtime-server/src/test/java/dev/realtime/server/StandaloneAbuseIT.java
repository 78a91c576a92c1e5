package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.rest.Pusher;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The built jar, started as documented ({@code -XX:+ExitOnOutOfMemoryError}) with a 64 MB heap, under the
 * attacks of issue 6: 300 unauthenticated connections announcing 200 000-byte API bodies and trickling
 * them, 300 trickling auth-endpoint bodies, 100 slowloris sockets. The server answers each at once or
 * drops it, and keeps serving {@code /health} and a subscribed WebSocket client throughout.
 */
class StandaloneAbuseIT {
    private static final Path JAR = Path.of("target", "realtime-server.jar");
    private static final Path LOG = Path.of("target", "it-logs", "standalone-abuse.log");
    private static final Duration ANSWER = Duration.ofSeconds(5);
    /** A second loopback address for the attacker (Linux routes all of 127/8 to lo), or null where there is none. */
    private static final String ATTACKER_ADDRESS = bindable("127.0.0.2") ? "127.0.0.2" : null;
    private Process process;
    private int port;

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("the server exits on SIGTERM").isTrue();
        }
    }

    @Test
    void aSmallHeapServerSurvivesBodyTrickleAndSlowlorisAttacksAndKeepsServing() throws Exception {
        assertThat(JAR).as("run after package").exists();
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        long from = JarLog.size(LOG);
        process = JarLog.start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-jar", JAR.toString(), "--port", String.valueOf(port),
                "--host", "127.0.0.1", "--app-id", "it", "--app-key", "it-key", "--app-secret", "it-secret"), LOG);
        JarLog.awaitReady(process, LOG, from, Duration.ofSeconds(60), "the jar");
        WebSocketMountTest.Socket canary = WebSocketMountTest.Socket.open("ws://127.0.0.1:" + port + "/app/it-key?protocol=7");
        canary.next("pusher:connection_established");
        canary.ws.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"canary\"}}", true);
        canary.next("pusher_internal:subscription_succeeded");
        assertServing(canary, "before the attacks");

        // 1. unauthenticated HTTP API calls announcing 200 000 bytes and trickling them: 401 right after the headers
        String apiHead = RawHttp.head("POST", "/apps/it/events?auth_key=it-key&auth_timestamp=1&auth_version=1.0&auth_signature=0",
                "Content-Type: application/json", "Content-Length: 200000");
        try (Trickle api = new Trickle(port, 300, i -> apiHead + "{\"name\":\"" + "x".repeat(1000), "x", Duration.ofMillis(200))) {
            assertServing(canary, "during the API body trickle");
            for (RawHttp c : api.connections()) {
                RawHttp.Reply r = c.read(ANSWER);
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.header("Connection")).isEqualTo("close");
            }
            assertThat(api.closedByServer(Duration.ofSeconds(15))).as("API trickle connections closed").isEqualTo(300);
        }
        assertServing(canary, "after the API body trickle");

        // 2. the auth endpoints take anyone's body: at most 64 in flight from one address (429 past that), 408 when too slow.
        // The attacker comes from another address than the backend, whose publishes must not be refused meanwhile.
        String attacker = ATTACKER_ADDRESS;
        String authHead = RawHttp.head("POST", "/broadcasting/auth", "Content-Type: application/x-www-form-urlencoded",
                "Content-Length: 10000");
        try (Trickle auth = new Trickle(attacker, port, 300, i -> authHead + "socket_id=", "1", Duration.ofMillis(200))) {
            if (attacker != null) {
                assertServing(canary, "during the auth body trickle");
            }
            int tooMany = 0;
            int tooSlow = 0;
            for (RawHttp c : auth.connections()) {
                int status = c.read(Duration.ofSeconds(15)).status();
                assertThat(status).isIn(408, 429);
                tooMany += status == 429 ? 1 : 0;
                tooSlow += status == 408 ? 1 : 0;
            }
            assertThat(tooSlow).as("408s").isPositive();
            assertThat(tooMany).as("429s").isPositive();
            assertThat(auth.closedByServer(Duration.ofSeconds(15))).as("auth trickle connections closed").isEqualTo(300);
        }
        assertServing(canary, "after the auth body trickle");

        // 3. slowloris: headers one byte at a time, closed after the default header timeout (10 s)
        try (Trickle slowloris = new Trickle(port, 100, i -> "GET /health HTTP/1.1\r\nX-a: ", "a", Duration.ofMillis(500))) {
            assertServing(canary, "during the slowloris");
            assertThat(slowloris.closedByServer(Duration.ofSeconds(25))).as("slowloris sockets closed").isEqualTo(100);
        }
        assertServing(canary, "after the slowloris");
        assertThat(process.isAlive()).isTrue();
        canary.ws.abort();
    }

    /** {@code /health} answers 200 and an event published with the Pusher SDK reaches the canary. */
    private void assertServing(WebSocketMountTest.Socket canary, String when) throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(ANSWER).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("/health " + when).isEqualTo(200);
        try (Pusher pusher = new Pusher("it", "it-key", "it-secret")) {
            pusher.setHost("127.0.0.1:" + port);
            assertThat(pusher.trigger("canary", "tweet", Map.of("when", when)).getHttpStatus()).as("publish " + when).isEqualTo(200);
        }
        assertThat(canary.next("tweet")).as("the canary's event " + when).contains(when);
    }

    private static boolean bindable(String address) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new java.net.InetSocketAddress(address, 0));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
