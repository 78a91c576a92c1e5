package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link RealtimeServer#stop()} (and so SIGTERM on the standalone server) finishes in bounded time whatever the clients do. */
class StopUnderAttackTest {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    /** A WebSocket client that subscribes and then never reads: the server's writes to it back up. */
    private static WebSocket slowReader(ServerTestSupport t) throws Exception {
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(t.server.url().replace("http", "ws") + "/app/" + t.key + "?protocol=7"), new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        // no request(1): nothing is ever read
                    }
                }).get(5, TimeUnit.SECONDS);
        ws.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"flood\"}}", true).get(5, TimeUnit.SECONDS);
        return ws;
    }

    @Test
    void stopReturnsWithinTheStopTimeoutWhileClientsTrickleHeadersAndBodiesAndWebSocketsDoNotRead() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport(b -> { }, s -> s.stopTimeout(STOP_TIMEOUT)
                // timeouts far beyond the test: stop() must not depend on them
                .requestHeaderTimeout(Duration.ofMinutes(5)).requestBodyTimeout(Duration.ofMinutes(5)).minRequestBodyRate(0)
                .maxInFlightRequestsPerIp(1000))) {
            List<WebSocket> readers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                readers.add(slowReader(t));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (t.realtime.channel("flood").subscriptionCount() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(t.realtime.channel("flood").subscriptionCount()).isEqualTo(5);
            String big = "x".repeat(8000);
            for (int i = 0; i < 500; i++) {
                t.realtime.broadcast("flood", "big", big);
            }
            try (Trickle headers = new Trickle(t.server.port(), 50, i -> "GET /health HTTP/1.1\r\nX-a: ", "a", Duration.ofMillis(200));
                 Trickle bodies = new Trickle(t.server.port(), 50, i -> RawHttp.head("POST", "/broadcasting/auth",
                         "Content-Type: application/x-www-form-urlencoded", "Content-Length: 10000") + "socket_id=", "1",
                         Duration.ofMillis(200))) {
                Thread.sleep(500); // the attack is under way
                assertThat(t.server.handler().inFlight().inFlight("127.0.0.1")).as("bodies being read").isEqualTo(50);

                long start = System.nanoTime();
                t.server.stop();
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(took).as("stop() under attack").isLessThan(STOP_TIMEOUT.plus(RealtimeServer.STOP_MARGIN).plusSeconds(1));
                assertThat(t.server.isRunning()).isFalse();
                assertThat(headers.closedByServer(Duration.ofSeconds(5))).as("slowloris sockets closed by stop()").isEqualTo(50);
                assertThat(bodies.closedByServer(Duration.ofSeconds(5))).as("slow bodies closed by stop()").isEqualTo(50);
            } finally {
                readers.forEach(WebSocket::abort);
            }
        }
    }

    @Test
    void stopReturnsWithinTheStopTimeoutEvenWhenAnAuthenticatorHangsAJettyThread() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ServerTestSupport t = new ServerTestSupport(b -> b.authenticator(request -> {
            entered.countDown();
            while (true) {
                try {
                    release.await(); // deaf to interrupts, as a stuck JDBC call can be
                    return null;
                } catch (InterruptedException e) {
                    // keep hanging
                }
            }
        }), s -> s.stopTimeout(STOP_TIMEOUT))) {
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(t.server.url() + "/pusher/auth"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("socket_id=1.1&channel_name=private-a")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

            long start = System.nanoTime();
            t.server.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).as("stop() with a hung request").isLessThan(STOP_TIMEOUT.plus(RealtimeServer.STOP_MARGIN).plusSeconds(1));
            assertThat(t.server.isRunning()).isFalse();
        } finally {
            release.countDown();
        }
    }
}
