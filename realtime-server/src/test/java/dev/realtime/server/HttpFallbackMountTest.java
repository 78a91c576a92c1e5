package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.Realtime;
import dev.realtime.http.RawHttp;
import dev.realtime.http.XhrClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP transports in the embedded server: served below {@code /pusher/app/KEY/…} next to the
 * WebSocket, and held streams and polls are not requests in flight for the server's hardening (the
 * per-address cap, the header timeout), which would otherwise refuse or cut them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpFallbackMountTest {
    private static final String KEY = "mount-key";

    private static RealtimeServer start(java.util.function.Consumer<RealtimeServer.Builder> configure) {
        Realtime realtime = Realtime.builder().app("mount", KEY, "mount-secret").build();
        RealtimeServer.Builder b = RealtimeServer.on(realtime).host("127.0.0.1").port(0).websocket().httpFallbacks()
                .stopTimeout(Duration.ZERO);
        configure.accept(b);
        return b.start();
    }

    private static void stop(RealtimeServer server) {
        server.stop();
        server.realtime().close();
    }

    @Test
    void streamsAndPollsAreServedNextToTheWebSocketAndOtherPathsGetJson404s() throws Exception {
        RealtimeServer server = start(b -> { });
        try (XhrClient streaming = XhrClient.streaming(server.port(), KEY);
             XhrClient polling = XhrClient.polling(server.port(), KEY)) {
            streaming.awaitSocketId(5000);
            polling.awaitSocketId(5000);
            streaming.subscribe("news", "", null);
            polling.subscribe("news", "", null);
            streaming.await("pusher_internal:subscription_succeeded", "news", 5000);
            polling.await("pusher_internal:subscription_succeeded", "news", 5000);
            server.realtime().broadcast("news", "hello", Map.of());
            streaming.await("hello", "news", 5000);
            polling.await("hello", "news", 5000);
            assertThat(server.httpSessionCount()).isEqualTo(2);

            RawHttp.Answer unknown = RawHttp.request(server.port(), "GET", "/pusher/app/" + KEY + "/1/abc/nonsense", Map.of(), null);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.body()).contains("\"error\"");
            RawHttp.Answer noKey = RawHttp.request(server.port(), "POST", "/pusher/app/1/abc/xhr_streaming", Map.of(), "");
            assertThat(noKey.status()).as("a stream request with no key").isEqualTo(404);
            assertThat(noKey.body()).contains("\"error\"").contains("no such path");
            RawHttp.Answer emptyKey = RawHttp.request(server.port(), "POST", "/pusher/app//1/abc/xhr_streaming", Map.of(), "");
            assertThat(emptyKey.status()).as("an empty key segment (Jetty refuses the ambiguous path)").isEqualTo(400);
        } finally {
            stop(server);
        }
    }

    @Test
    void stopEndsHeldStreamsAndPollsWith4200AtOnceAndTheNodeForgetsTheirSessions() throws Exception {
        java.util.List<String> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        Realtime realtime = Realtime.builder().app("mount", KEY, "mount-secret").listener(new dev.realtime.RealtimeListener() {
            @Override
            public void connectionClosed(dev.realtime.ConnectionInfo connection, int code, String reason) {
                closed.add(connection.socketId() + " " + code);
            }
        }).build();
        RealtimeServer server = RealtimeServer.on(realtime).host("127.0.0.1").port(0).websocket().httpFallbacks().start();
        try (XhrClient streaming = XhrClient.streaming(server.port(), KEY);
             XhrClient polling = XhrClient.polling(server.port(), KEY)) {
            streaming.awaitSocketId(5000);
            polling.awaitSocketId(5000);
            Thread.sleep(300); // a poll is held
            long start = System.nanoTime();
            server.stop();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(took).as("stop() does not wait out its 5 s stop timeout for held requests").isLessThan(3000);
            assertThat(streaming.chunks()).anyMatch(c -> c.startsWith("c[4200,"));
            long deadline = System.currentTimeMillis() + 3000;
            while (closed.size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(closed).hasSize(2).allMatch(c -> c.endsWith(" 4200"));
            assertThat(realtime.connectionCount()).isZero();
        } finally {
            realtime.close();
        }
    }

    @Test
    void heldStreamsAndPollsDoNotCountAgainstTheInFlightCapNorTheHeaderTimeout() throws Exception {
        RealtimeServer server = start(b -> b.maxInFlightRequestsPerIp(1).requestHeaderTimeout(Duration.ofSeconds(1)));
        List<XhrClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(i % 2 == 0 ? XhrClient.streaming(server.port(), KEY) : XhrClient.polling(server.port(), KEY));
            }
            for (XhrClient c : clients) {
                c.awaitSocketId(5000);
                c.subscribe("news", "", null);
                c.await("pusher_internal:subscription_succeeded", "news", 5000);
            }
            Thread.sleep(2500); // past the header timeout, with streams and polls held all along
            assertThat(server.handler().inFlight().inFlight("127.0.0.1")).isZero();
            RawHttp.Answer auth = RawHttp.request(server.port(), "POST", "/pusher/auth",
                    Map.of("Content-Type", "application/x-www-form-urlencoded"), "socket_id=1.2&channel_name=private-x");
            assertThat(auth.status()).as("the auth endpoint is not refused with 429 by the held requests").isEqualTo(401);
            server.realtime().broadcast("news", "later", Map.of());
            for (XhrClient c : clients) {
                c.await("later", "news", 5000);
            }
            assertThat(server.headerTimeouts()).isZero();
        } finally {
            for (XhrClient c : clients) {
                c.stop();
            }
            stop(server);
        }
    }
}
