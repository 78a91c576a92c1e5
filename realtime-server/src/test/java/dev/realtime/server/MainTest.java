package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) throws Exception {
        return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: java -XX:+ExitOnOutOfMemoryError -jar realtime-server.jar");
    }

    @Test
    void aVirtualMachineErrorEscapingAThreadHaltsWithStatus3AndOtherErrorsDoNot() throws Exception {
        java.util.List<Integer> halted = new java.util.ArrayList<>();
        java.util.List<Throwable> passedOn = new java.util.ArrayList<>();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Thread.UncaughtExceptionHandler handler = Main.haltOnVirtualMachineError(errStream, halted::add,
                (thread, e) -> passedOn.add(e));
        Thread accept = new Thread(() -> { }, "realtime-http-acceptor");

        handler.uncaughtException(accept, new IllegalStateException("an ordinary bug"));
        assertThat(halted).isEmpty();
        assertThat(passedOn).hasSize(1);

        handler.uncaughtException(accept, new OutOfMemoryError("Java heap space"));
        assertThat(halted).containsExactly(Main.EXIT_VM_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("OutOfMemoryError: Java heap space")
                .contains("realtime-http-acceptor").contains("halting");
        handler.uncaughtException(accept, new StackOverflowError());
        assertThat(halted).containsExactly(3, 3);
    }

    @Test
    void theWarmupServesItsLoopbackClientsThenTheRealServerStartsWithItsOwnNode() throws Exception {
        // -1 would mean a client was not upgraded, subscribed or sent its events.
        assertThat(Warmup.run(600, 16)).isNotNegative();
        RealtimeServer server = Main.start(ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--app-id", "id", "--app-key", "key", "--app-secret", "secret", "--warmup", "300", "--max-threads", "20"},
                Map.of()), true);
        try {
            assertThat(server.realtime().channels("")).as("the warm-up's clients were on a throwaway node").isEmpty();
            assertThat(server.realtime().connectionCount()).isZero();
            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        } finally {
            server.stop();
            server.realtime().close();
        }
    }

    @Test
    void theStandaloneServerTakesItsBacklogAndPerAddressCapFromTheOptions() throws Exception {
        RealtimeServer server = Main.start(ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--app-id", "id", "--app-key", "key", "--app-secret", "secret", "--backlog", "2000"},
                Map.of("REALTIME_MAX_IN_FLIGHT_PER_IP", "7")));
        try {
            assertThat(server.connector().getAcceptQueueSize()).isEqualTo(2000);
            assertThat(server.handler().inFlight().max()).isEqualTo(7);
        } finally {
            server.stop();
            server.realtime().close();
        }
    }

    @Test
    void theStandaloneServerServesTheHttpFallbacksUnlessTurnedOff() throws Exception {
        String[] args = {"--port", "0", "--host", "127.0.0.1", "--app-id", "id", "--app-key", "key", "--app-secret", "secret"};
        String stream = "/pusher/app/key/1/abcdefgh/xhr_streaming?protocol=7";
        RealtimeServer server = Main.start(ServerOptions.parse(args, Map.of()));
        try (dev.realtime.http.RawHttp.Stream s = dev.realtime.http.RawHttp.open(server.port(), "POST", stream, Map.of())) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.nextLine(5000)).isEqualTo("o");
            assertThat(s.awaitLine("a[", 5000)).contains("pusher:connection_established");
        } finally {
            server.stop();
            server.realtime().close();
        }
        String[] capped = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--max-http-sessions-per-ip", "1")).toArray(String[]::new);
        server = Main.start(ServerOptions.parse(capped, Map.of()));
        try (dev.realtime.http.RawHttp.Stream s = dev.realtime.http.RawHttp.open(server.port(), "POST", stream, Map.of())) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(dev.realtime.http.RawHttp.post(server.port(), stream.replace("abcdefgh", "abcdefgi"), "").status())
                    .as("a second session from the address, past --max-http-sessions-per-ip 1").isEqualTo(429);
        } finally {
            server.stop();
            server.realtime().close();
        }
        server = Main.start(ServerOptions.parse(args, Map.of("REALTIME_HTTP_FALLBACKS", "false")));
        try {
            assertThat(dev.realtime.http.RawHttp.post(server.port(), stream, "").status()).isEqualTo(404);
        } finally {
            server.stop();
            server.realtime().close();
        }
    }

    @Test
    void missingCredentialsExitWith2AndSayWhatToSet() throws Exception {
        assertThat(run(Map.of(), "--port", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("realtime-server: missing app id: pass --app-id or set REALTIME_APP_ID")
                .contains("realtime-server: missing app secret: pass --app-secret or set REALTIME_APP_SECRET")
                .contains("--help");
    }

    @Test
    void aBadNodeIdExitsWith2AndABrokerNoModuleServesWith1() throws Exception {
        assertThat(run(Map.of(), "--app-id", "i", "--app-key", "k", "--app-secret", "s", "--node-id", "a b")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--node-id / REALTIME_NODE_ID");
        err.reset();
        assertThat(run(Map.of(), "--app-id", "i", "--app-key", "k", "--app-secret", "s", "--port", "0",
                "--broker", "kafka://127.0.0.1:9092")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no broker for 'kafka://' URIs");
    }

    @Test
    void theStandaloneServerServesHealthAndTheHttpApiAndAnswers401OnAuth() throws Exception {
        ServerOptions options = ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1"},
                Map.of("REALTIME_APP_ID", "id", "REALTIME_APP_KEY", "key", "REALTIME_APP_SECRET", "secret"));
        RealtimeServer server = Main.start(options);
        try {
            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            HttpResponse<String> auth = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/broadcasting/auth"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("socket_id=1.2&channel_name=private-x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(auth.statusCode()).isEqualTo(401);
            assertThat(server.realtime().app().id()).isEqualTo("id");
        } finally {
            server.stop();
            server.realtime().close();
        }
    }

    @Test
    void clientEventsRelayOnBackendSignedPrivateChannelsByDefault() throws Exception {
        assertThat(clientEventRelayed(new String[0])).isTrue();
    }

    @Test
    void noClientEventsRefusesThem() throws Exception {
        assertThat(clientEventRelayed(new String[] {"--no-client-events"})).isFalse();
    }

    /** Two WebSocket clients on private-chat (signed as the app's backend would); whether A's client event reaches B. */
    private static boolean clientEventRelayed(String[] extra) throws Exception {
        String[] args = new String[extra.length + 10];
        System.arraycopy(new String[] {"--port", "0", "--host", "127.0.0.1", "--app-id", "id", "--app-key", "key",
                "--app-secret", "secret"}, 0, args, 0, 10);
        System.arraycopy(extra, 0, args, 10, extra.length);
        RealtimeServer server = Main.start(ServerOptions.parse(args, Map.of()));
        try {
            String url = server.url().replace("http", "ws") + "/app/key?protocol=7";
            WebSocketMountTest.Socket a = subscribed(url);
            WebSocketMountTest.Socket b = subscribed(url);
            a.ws.sendText("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"who\":\"a\"}}", true);
            // frames of one connection are handled in order: after the pong, the client event was handled
            a.ws.sendText("{\"event\":\"pusher:ping\",\"data\":{}}", true);
            a.next("pusher:pong");
            server.realtime().broadcast("private-chat", "after", "{}");
            String next = b.frames.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            return next != null && ServerJson.readOrNull(next).get("event").asText().equals("client-typing");
        } finally {
            server.stop();
            server.realtime().close();
        }
    }

    private static WebSocketMountTest.Socket subscribed(String url) throws Exception {
        WebSocketMountTest.Socket s = WebSocketMountTest.Socket.open(url);
        String data = ServerJson.readOrNull(s.next("pusher:connection_established")).get("data").asText();
        String socketId = ServerJson.readOrNull(data).get("socket_id").asText();
        String auth = "key:" + ServerTestSupport.hmac("secret", socketId + ":private-chat");
        s.ws.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-chat\",\"auth\":\"" + auth + "\"}}", true);
        s.next("pusher_internal:subscription_succeeded");
        return s;
    }
}
