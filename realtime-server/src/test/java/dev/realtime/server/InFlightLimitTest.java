package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One address may have only so many auth or HTTP API requests in flight; past that, 429 and the connection closed. */
class InFlightLimitTest {
    private static final Duration ANSWER = Duration.ofSeconds(5);

    @Test
    void requestsPastThePerAddressCapAre429WhileHealthAndTheCanaryStillServe() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport(b -> { }, s -> s.maxInFlightRequestsPerIp(4).minRequestBodyRate(0)
                .requestBodyTimeout(Duration.ofSeconds(30)));
             Canary canary = Canary.open(t)) {
            List<RawHttp> held = new ArrayList<>();
            try {
                // four auth requests waiting for bodies that never come: the cap
                for (int i = 0; i < 4; i++) {
                    RawHttp c = RawHttp.connect(t.server.port());
                    held.add(c);
                    c.send(RawHttp.head("POST", "/broadcasting/auth", "Content-Type: application/x-www-form-urlencoded",
                            "Content-Length: 100"));
                }
                awaitInFlight(t, 4);
                try (RawHttp over = RawHttp.connect(t.server.port())) {
                    over.send(RawHttp.head("POST", "/pusher/auth", "Content-Length: 10") + "socket_id=");
                    RawHttp.Reply r = over.read(ANSWER);
                    assertThat(r.status()).isEqualTo(429);
                    assertThat(ServerJson.readOrNull(r.body()).get("error").asText())
                            .contains("too many requests in flight from 127.0.0.1").contains("maxInFlightRequestsPerIp");
                    assertThat(r.header("Connection")).isEqualTo("close");
                    assertThat(r.header("Retry-After")).isEqualTo("1");
                    assertThat(over.closedByServer(ANSWER)).isTrue();
                }
                HttpApiCall api = new HttpApiCall(t);
                assertThat(api.status()).as("the HTTP API from the same address is over the cap too").isEqualTo(429);
                assertThat(t.get("/health").statusCode()).as("/health does not count").isEqualTo(200);
            } finally {
                for (RawHttp c : held) {
                    c.close();
                }
            }
            awaitInFlight(t, 0);
            canary.assertServing("once the held requests went away");
        }
    }

    /** A signed channel list: 200 when served. */
    private record HttpApiCall(int status) {
        HttpApiCall(ServerTestSupport t) throws Exception {
            this(t.api("GET", "/apps/" + t.appId + "/channels", Map.of(), null).statusCode());
        }
    }

    private static void awaitInFlight(ServerTestSupport t, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (t.server.handler().inFlight().inFlight("127.0.0.1") != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(t.server.handler().inFlight().inFlight("127.0.0.1")).as("requests in flight").isEqualTo(expected);
    }
}
