package dev.realtime.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.ConnectionInfo;
import dev.realtime.RealtimeListener;
import dev.realtime.http.HttpTestNode;
import dev.realtime.http.HttpTransport;
import dev.realtime.http.RawHttp;
import dev.realtime.http.XhrClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pusher-js's {@code xhr_streaming} against a node on Jetty, with a hand-made client that follows http_socket.ts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class XhrStreamingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpTestNode node;

    /** Where the transport is mounted: Jetty core here, Tomcat's servlet in the subclass. */
    protected HttpTestNode.Container container() {
        return HttpTestNode.Container.JETTY;
    }

    private HttpTestNode start(HttpTransport transport) {
        return HttpTestNode.start(container(), transport, null, b -> b);
    }

    private HttpTestNode start(HttpTransport transport, dev.realtime.RealtimeListener listener,
                               java.util.function.UnaryOperator<dev.realtime.RealtimeBuilder> tune) {
        return HttpTestNode.start(container(), transport, listener, tune);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private String path(String session, String mode) {
        return "/pusher/app/" + HttpTestNode.APP_KEY + "/" + session + "/" + mode;
    }

    /**
     * The transport forgets a session when its response has completed on the server, which can come a
     * little after the client has read the close (on Tomcat, the async completion runs on its own thread).
     */
    private void assertNoSessionsLeft() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (node.transport().sessionCount() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(node.transport().sessionCount()).as("sessions left").isZero();
    }

    @Test
    void aStreamOpensWithOThenConnectionEstablishedAndCarriesBroadcasts() throws Exception {
        node = start(HttpTransport.builder().modes(Sse.all()).build());
        try (RawHttp.Stream stream = RawHttp.open(node.port(), "POST",
                path("123/abcdefgh", "xhr_streaming") + "?protocol=7&client=js&version=8.6.0&t=1&n=1", Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Cache-Control")).contains("no-store");
            assertThat(stream.nextLine(5000)).isEqualTo("o");
            assertThat(stream.awaitLine("a[", 5000)).contains("pusher:connection_established");
            RawHttp.Answer sent = RawHttp.post(node.port(), path("123/abcdefgh", "xhr_send") + "?t=2&n=2",
                    "[\"{\\\"event\\\":\\\"pusher:subscribe\\\",\\\"data\\\":{\\\"channel\\\":\\\"news\\\",\\\"auth\\\":\\\"\\\"}}\"]");
            assertThat(sent.status()).isEqualTo(204);
            assertThat(stream.awaitLine("a[", 5000)).contains("subscription_succeeded");
            node.realtime().broadcast("news", "headline", Map.of("text", "h\u00e9llo \u2603"));
            String line = stream.awaitLine("a[", 5000);
            // Written as ASCII: what pusher-js counts (UTF-16 units) is what the server counts.
            assertThat(line).contains("headline").contains("h\\u00e9llo \\u2603").matches("\\p{ASCII}*");
            JsonNode frame = JSON.readTree(JSON.readTree(line.substring(1)).get(0).asText());
            assertThat(JSON.readTree(frame.get("data").asText()).get("text").asText()).isEqualTo("h\u00e9llo \u2603");
        }
    }

    @Test
    void moreThan256KbOverOneSessionArriveOnceAndInOrderAcrossReopenedStreams() throws Exception {
        node = start(HttpTransport.builder().modes(Sse.all()).build());
        int events = 2_000;
        String padding = "x".repeat(500);
        try (XhrClient client = XhrClient.streaming(node.port(), HttpTestNode.APP_KEY)) {
            client.awaitSocketId(5000);
            assertThat(client.subscribe("bulk", "", null)).isEqualTo(204);
            client.await("pusher_internal:subscription_succeeded", "bulk", 5000);
            // Published while the client reads and reopens: frames arrive during every reopen.
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < events; i++) {
                    node.realtime().broadcast("bulk", "seq", Map.of("n", i, "pad", padding));
                    if (i % 100 == 99) {
                        sleep(30); // a lively channel, not a flood: the queue holds 1000 frames while a stream reopens
                    }
                }
            });
            publisher.start();
            List<Integer> got = new ArrayList<>();
            while (got.size() < events) {
                JsonNode f = client.await("seq", "bulk", 20_000);
                got.add(JSON.readTree(f.get("data").asText()).get("n").asInt());
            }
            publisher.join();
            for (int i = 0; i < events; i++) {
                assertThat(got.get(i)).as("event #%d (every event once, in order)", i).isEqualTo(i);
            }
            assertThat(client.streamsOpened()).as("streams opened for ~1.1 MB (pusher-js reopens past 256 KB)")
                    .isGreaterThanOrEqualTo(4);
            Thread.sleep(300);
            assertThat(client.frames()).as("nothing repeated after the last event").isEmpty();
            assertThat(node.transport().sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void anIdleStreamGetsHeartbeatsAndAnEmptySendIsAPingAnsweredWithAPong() throws Exception {
        node = start(HttpTransport.builder().modes(Sse.all()).heartbeatInterval(Duration.ofMillis(500)).build());
        try (RawHttp.Stream stream = RawHttp.open(node.port(), "POST", path("7/heartbt1", "xhr_streaming") + "?protocol=7", Map.of())) {
            stream.awaitLine("a[", 5000);
            long start = System.nanoTime();
            assertThat(stream.awaitLine("h", 3000)).isEqualTo("h");
            assertThat(stream.awaitLine("h", 3000)).isEqualTo("h");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(700L, 2500L);
            // pusher-js answers each h with [] (and pings with [] when idle): the node answers a pong.
            assertThat(RawHttp.post(node.port(), path("7/heartbt1", "xhr_send"), "[]").status()).isEqualTo(204);
            assertThat(stream.awaitLine("a[", 3000)).contains("pusher:pong");
        }
    }

    @Test
    void aSecondStreamOnTheSameSessionTakesOverAndTheFirstEndsWithoutEndingTheSession() throws Exception {
        node = start(HttpTransport.builder().modes(Sse.all()).heartbeatInterval(Duration.ofMillis(300)).build());
        String session = "5/takeover";
        try (RawHttp.Stream first = RawHttp.open(node.port(), "POST", path(session, "xhr_streaming") + "?protocol=7", Map.of())) {
            first.awaitLine("a[", 5000);
            RawHttp.post(node.port(), path(session, "xhr_send"),
                    "[\"{\\\"event\\\":\\\"pusher:subscribe\\\",\\\"data\\\":{\\\"channel\\\":\\\"news\\\"}}\"]");
            first.awaitLine("a[", 5000);
            try (RawHttp.Stream second = RawHttp.open(node.port(), "POST", path(session, "xhr_streaming") + "?protocol=7", Map.of())) {
                assertThat(second.status()).isEqualTo(200);
                long deadline = System.currentTimeMillis() + 5000;
                while (!first.ended() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(first.ended()).as("the replaced stream ends").isTrue();
                node.realtime().broadcast("news", "after", Map.of());
                assertThat(second.awaitLine("a[", 5000)).contains("after").doesNotStartWith("o");
                Thread.sleep(1000); // heartbeats on the live stream; the ended one must not end the session
                assertThat(node.transport().sessionCount()).isEqualTo(1);
                node.realtime().broadcast("news", "still", Map.of());
                assertThat(second.awaitLine("a[", 5000)).contains("still");
            }
        }
    }

    @Test
    void aWrongKeyIsRefusedInBandWith4001AsOnAWebSocket() throws Exception {
        node = start(HttpTransport.builder().modes(Sse.all()).build());
        try (RawHttp.Stream stream = RawHttp.open(node.port(), "POST", "/pusher/app/wrong-key/1/abcdefgh/xhr_streaming?protocol=7", Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.nextLine(5000)).isEqualTo("o");
            assertThat(stream.awaitLine("a[", 5000)).contains("pusher:error").contains("4001");
            assertThat(stream.awaitLine("c[", 5000)).startsWith("c[4001,");
            assertThat(stream.nextLine(2000)).isNull();
            assertThat(stream.ended()).as("the response ends after the close").isTrue();
        }
        assertNoSessionsLeft();
    }

    @Test
    void theNodeClosingASessionEndsItsStreamWithTheCloseCode() throws Exception {
        node = start(HttpTransport.builder().modes(Sse.all()).build());
        try (XhrClient client = XhrClient.streaming(node.port(), HttpTestNode.APP_KEY)) {
            String socketId = client.awaitSocketId(5000);
            String userData = "{\"id\":\"42\"}";
            String auth = JSON.readTree(node.realtime().authenticateUser(socketId, dev.realtime.User.of("42", Map.of())).body())
                    .get("auth").asText();
            client.send(JSON.writeValueAsString(Map.of("event", "pusher:signin", "data", Map.of("auth", auth, "user_data", userData))));
            client.await("pusher:signin_success", null, 5000);
            assertThat(node.realtime().disconnectUser("42")).isEqualTo(1);
            long deadline = System.currentTimeMillis() + 5000;
            while (client.chunks().stream().noneMatch(c -> c.startsWith("c[")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(client.chunks()).anyMatch(c -> c.startsWith("c[4009,"));
        }
        assertNoSessionsLeft();
    }

    @Test
    void aClientThatDropsItsStreamIsClosedAtTheNextHeartbeats() throws Exception {
        List<String> closed = new CopyOnWriteArrayList<>();
        RealtimeListener listener = new RealtimeListener() {
            @Override
            public void connectionClosed(ConnectionInfo connection, int code, String reason) {
                closed.add(connection.socketId() + " " + code);
            }
        };
        node = start(HttpTransport.builder().modes(Sse.all()).heartbeatInterval(Duration.ofMillis(300))
                .sessionTimeout(Duration.ofSeconds(60)).build(), listener, b -> b);
        XhrClient client = XhrClient.streaming(node.port(), HttpTestNode.APP_KEY);
        String socketId = client.awaitSocketId(5000);
        client.stop(); // the stream's socket closed, no more requests
        long deadline = System.currentTimeMillis() + 5000;
        while (closed.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(closed).as("closed long before the 60 s session timeout").containsExactly(socketId + " 1006");
        assertNoSessionsLeft();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
