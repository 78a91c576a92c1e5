package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: connections that never finish their headers are closed after the header timeout, while
 * WebSocket connections, kept-alive idle connections and honest requests are left alone.
 */
class SlowClientTest {
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);

    private static ServerTestSupport server() {
        return new ServerTestSupport(b -> { }, s -> s.requestHeaderTimeout(HEADER_TIMEOUT));
    }

    @Test
    void connectionsTricklingTheirHeadersAreClosedAndTheServerKeepsServing() throws Exception {
        try (ServerTestSupport t = server(); Canary canary = Canary.open(t)) {
            // 200 sockets, each sending a header byte every 200 ms: the idle timeout never fires
            try (Trickle slowloris = new Trickle(t.server.port(), 200, i -> "GET /health HTTP/1.1\r\nX-a: ", "a",
                    Duration.ofMillis(200))) {
                canary.assertServing("during the slowloris");
                assertThat(slowloris.closedByServer(Duration.ofSeconds(10))).as("slowloris sockets closed by the server").isEqualTo(200);
                assertThat(t.server.headerTimeouts()).isGreaterThanOrEqualTo(200);
                canary.assertServing("after the slowloris");
            }
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() throws Exception {
        try (ServerTestSupport t = server(); RawHttp silent = RawHttp.connect(t.server.port())) {
            assertThat(silent.closedByServer(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void theNextRequestOnAKeptAliveConnectionHasItsOwnHeaderClock() throws Exception {
        try (ServerTestSupport t = server(); RawHttp c = RawHttp.connect(t.server.port())) {
            c.send(RawHttp.head("GET", "/health"));
            assertThat(c.read(Duration.ofSeconds(5)).status()).isEqualTo(200);
            // silent for longer than the header timeout: the idle timeout, not the header clock, governs that
            Thread.sleep(HEADER_TIMEOUT.toMillis() * 2 + 500);
            c.send(RawHttp.head("GET", "/health"));
            assertThat(c.read(Duration.ofSeconds(5)).status()).as("the kept-alive connection still serves").isEqualTo(200);
            // now a next request that never completes its headers
            c.send("GET /health HTTP/1.1\r\nHost: x\r\n");
            assertThat(c.closedByServer(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void webSocketsOutliveTheHeaderAndBodyTimeouts() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport(b -> { }, s -> s.requestHeaderTimeout(HEADER_TIMEOUT)
                .requestBodyTimeout(Duration.ofSeconds(1)));
             Canary canary = Canary.open(t)) {
            Thread.sleep(HEADER_TIMEOUT.toMillis() * 3);
            canary.assertServing("3 header timeouts after the upgrade");
            assertThat(t.server.headerTimeouts()).isZero();
        }
    }

    @Test
    void anHonestClientOnManyRequestsIsNeverCut() throws Exception {
        try (ServerTestSupport t = server()) {
            for (int i = 0; i < 20; i++) {
                assertThat(t.api("GET", "/apps/" + t.appId + "/channels", Map.of(), null).statusCode()).isEqualTo(200);
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertThat(t.server.headerTimeouts()).isZero();
        }
    }
}
