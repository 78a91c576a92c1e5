package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bodies an attacker controls: the HTTP API refuses an unauthenticated call before reading a byte of its
 * body; a body over its limit gets 413, one that arrives too slowly 408; the connection is closed each
 * time, and the server keeps serving meanwhile.
 */
class HttpBodyAbuseTest {
    private static final Duration ANSWER = Duration.ofSeconds(5);

    private static String events(ServerTestSupport t) {
        return "/apps/" + t.appId + "/events";
    }

    private static String unsignedEvents(ServerTestSupport t) {
        return events(t) + "?auth_key=" + t.key + "&auth_timestamp=1&auth_version=1.0&auth_signature=00";
    }

    @Test
    void anUnsignedApiCallIs401RightAfterItsHeadersAndTheConnectionIsClosed() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport(); RawHttp c = RawHttp.connect(t.server.port())) {
            // headers announcing 200 000 bytes, and no body at all: the answer cannot wait for it
            c.send(RawHttp.head("POST", events(t) + "?auth_key=" + t.key, "Content-Type: application/json",
                    "Content-Length: 200000"));
            RawHttp.Reply r = c.read(ANSWER);
            assertThat(r.status()).isEqualTo(401);
            assertThat(ServerJson.readOrNull(r.body()).get("error").asText()).contains("auth_timestamp is missing");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer(ANSWER)).as("connection closed after the 401").isTrue();
        }
    }

    @Test
    void aForgedSignatureAndAnUnknownAppAreRefusedBeforeTheBodyToo() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport()) {
            String body = "{\"name\":\"e\",\"channel\":\"a\",\"data\":\"x\"}";
            Map<String, String> forged = t.signed("POST", events(t), Map.of(), body);
            forged.put("auth_signature", "f".repeat(64));
            try (RawHttp c = RawHttp.connect(t.server.port())) {
                c.send(RawHttp.head("POST", events(t) + ServerTestSupport.query(forged), "Content-Length: 100000"));
                RawHttp.Reply r = c.read(ANSWER);
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.body()).contains("auth_signature does not match");
                assertThat(c.closedByServer(ANSWER)).isTrue();
            }
            try (RawHttp c = RawHttp.connect(t.server.port())) {
                c.send(RawHttp.head("POST", "/apps/someone-else/events", "Content-Length: 100000"));
                RawHttp.Reply r = c.read(ANSWER);
                assertThat(r.status()).isEqualTo(404);
                assertThat(r.header("Connection")).isEqualTo("close");
            }
        }
    }

    @Test
    void aBodyTrickleAttackWithoutCredentialsHoldsNothingAndTheServerKeepsServing() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport(); Canary canary = Canary.open(t)) {
            String head = RawHttp.head("POST", unsignedEvents(t), "Content-Type: application/json", "Content-Length: 200000");
            try (Trickle attack = new Trickle(t.server.port(), 200, i -> head + "{\"name\":", "x", Duration.ofMillis(200))) {
                canary.assertServing("during the attack");
                for (RawHttp c : attack.connections()) {
                    RawHttp.Reply r = c.read(ANSWER);
                    assertThat(r.status()).isEqualTo(401);
                    assertThat(r.header("Connection")).isEqualTo("close");
                }
                assertThat(attack.closedByServer(Duration.ofSeconds(10))).as("attack connections closed by the server").isEqualTo(200);
                assertThat(t.server.handler().inFlight().inFlight("127.0.0.1")).isZero();
                canary.assertServing("after the attack connections were closed");
            }
            canary.assertServing("after the attack");
        }
    }

    @Test
    void aClientStillSendingItsBodyReadsTheEarlyAnswerInsteadOfAReset() throws Exception {
        // closing a socket with unread bytes makes the kernel reset it, which can destroy the answer: the server
        // lingers, discarding the rest of the body, so that an SDK with a wrong secret sees its 401, not a reset
        try (ServerTestSupport t = new ServerTestSupport()) {
            String big = "{\"name\":\"e\",\"channel\":\"a\",\"data\":\"" + "x".repeat(1_000_000) + "\"}";
            for (int i = 0; i < 20; i++) {
                assertThat(t.send("POST", events(t), Map.of("auth_key", t.key), big).statusCode()).as("unsigned, try " + i)
                        .isEqualTo(401);
                assertThat(t.api("POST", events(t), Map.of(), big).statusCode()).as("over the limit, try " + i).isEqualTo(413);
            }
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413AtOnce() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport(b -> { }, s -> s.maxRequestBodyBytes(4096))) {
            String body = "x".repeat(5000);
            try (RawHttp c = RawHttp.connect(t.server.port())) {
                c.send(RawHttp.head("POST", events(t) + ServerTestSupport.query(t.signed("POST", events(t), Map.of(), body)),
                        "Content-Length: 5000"));
                RawHttp.Reply r = c.read(ANSWER);
                assertThat(r.status()).isEqualTo(413);
                assertThat(r.body()).contains("larger than 4096 bytes (RealtimeServer maxRequestBodyBytes)");
                assertThat(c.closedByServer(ANSWER)).isTrue();
            }
            try (RawHttp c = RawHttp.connect(t.server.port())) {
                c.send(RawHttp.head("POST", "/broadcasting/auth", "Content-Type: application/x-www-form-urlencoded",
                        "Content-Length: " + (RealtimeServer.DEFAULT_MAX_AUTH_BODY_BYTES + 1)));
                RawHttp.Reply r = c.read(ANSWER);
                assertThat(r.status()).isEqualTo(413);
                assertThat(r.body()).contains("larger than 16384 bytes (RealtimeServer maxAuthBodyBytes)");
            }
        }
    }

    @Test
    void aChunkedBodyIsCountedAsItArrivesAnd413PastTheLimit() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport(b -> { }, s -> s.maxRequestBodyBytes(4096));
             RawHttp c = RawHttp.connect(t.server.port())) {
            String body = "y".repeat(3000);
            c.send(RawHttp.head("POST", events(t) + ServerTestSupport.query(t.signed("POST", events(t), Map.of(), body + body)),
                    "Transfer-Encoding: chunked"));
            c.send(Integer.toHexString(body.length()) + "\r\n" + body + "\r\n");
            c.send(Integer.toHexString(body.length()) + "\r\n" + body + "\r\n");
            RawHttp.Reply r = c.read(ANSWER);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("larger than 4096 bytes");
            assertThat(c.closedByServer(ANSWER)).isTrue();
        }
    }

    @Test
    void aBodySlowerThanTheMinimumRateIs408AndTheConnectionIsClosed() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport(b -> { }, s -> s.minRequestBodyRate(1000)
                .requestBodyTimeout(Duration.ofSeconds(30)));
             Canary canary = Canary.open(t)) {
            String body = "{\"name\":\"e\",\"channel\":\"a\",\"data\":\"" + "z".repeat(1960) + "\"}";
            String head = RawHttp.head("POST", events(t) + ServerTestSupport.query(t.signed("POST", events(t), Map.of(), body)),
                    "Content-Length: " + body.length());
            // a signed caller, trickling its body at ~50 bytes/s: far below 1000 bytes/s
            try (Trickle slow = new Trickle(t.server.port(), 1, i -> head + "{", " ", Duration.ofMillis(20))) {
                RawHttp c = slow.connections().get(0);
                RawHttp.Reply r = c.read(Duration.ofSeconds(10));
                assertThat(r.status()).isEqualTo(408);
                assertThat(r.body()).contains("slower than 1000 bytes/s (RealtimeServer minRequestBodyRate)");
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(c.closedByServer(ANSWER)).isTrue();
                canary.assertServing("after the 408");
            }
        }
    }

    @Test
    void aBodyPastTheTimeoutIs408WhateverItsRate() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport(b -> { }, s -> s.minRequestBodyRate(0)
                .requestBodyTimeout(Duration.ofMillis(1500)))) {
            // a chunked auth request that keeps sending a chunk every 100 ms and never ends
            try (Trickle slow = new Trickle(t.server.port(), 1, i -> RawHttp.head("POST", "/pusher/auth",
                    "Content-Type: application/x-www-form-urlencoded", "Transfer-Encoding: chunked"), "1\r\na\r\n",
                    Duration.ofMillis(100))) {
                RawHttp c = slow.connections().get(0);
                RawHttp.Reply r = c.read(Duration.ofSeconds(10));
                assertThat(r.status()).isEqualTo(408);
                assertThat(r.body()).contains("did not arrive within 1500 ms (RealtimeServer requestBodyTimeout)");
                assertThat(c.closedByServer(ANSWER)).isTrue();
            }
        }
    }

    @Test
    void aBodyAtAGoodRateIsServedWhole() throws Exception {
        try (ServerTestSupport t = new ServerTestSupport(b -> { }, s -> s.minRequestBodyRate(1000));
             Canary canary = Canary.open(t); RawHttp c = RawHttp.connect(t.server.port())) {
            String body = "{\"name\":\"split\",\"channel\":\"other\",\"data\":\"in two\"}";
            c.send(RawHttp.head("POST", events(t) + ServerTestSupport.query(t.signed("POST", events(t), Map.of(), body)),
                    "Content-Length: " + body.length()) + body.substring(0, 10));
            Thread.sleep(300); // within the first second: no rate owed yet
            c.send(body.substring(10));
            RawHttp.Reply r = c.read(ANSWER);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.header("Connection")).isNull();
            canary.assertServing("after a split body");
        }
    }
}
