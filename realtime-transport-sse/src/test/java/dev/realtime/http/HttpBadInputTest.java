package dev.realtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.sse.Sse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input to the HTTP session layer gets its documented answer and nothing else: after each, a
 * session that was already open keeps working. (Other peers are other loopback addresses: 127.0.0.2.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpBadInputTest {
    private static final String SUBSCRIBE = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\",\"auth\":\"\"}}";
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

    private HttpTestNode start(HttpTransport.Builder b) {
        node = start(b.modes(Sse.all()).build());
        return node;
    }

    /** The already-open session still gets a broadcast on {@code channel}. */
    private void stillWorks(XhrClient client, String channel, int n) throws Exception {
        node.realtime().broadcast(channel, "still", Map.of("n", n));
        assertThat(client.await("still", channel, 5000).get("data").asText()).contains("\"n\":" + n);
    }

    private static String send(String sessionPath) {
        return sessionPath + "/xhr_send?t=1&n=1";
    }

    @Test
    void xhrSendToAnUnknownOrEndedSessionIs404() throws Exception {
        start(HttpTransport.builder().heartbeatInterval(java.time.Duration.ofMillis(300)));
        try (XhrClient client = XhrClient.streaming(node.port(), HttpTestNode.APP_KEY)) {
            client.awaitSocketId(5000);
            client.subscribe("news", "", null);
            client.await("pusher_internal:subscription_succeeded", "news", 5000);

            RawHttp.Answer unknown = RawHttp.post(node.port(), send("/pusher/app/" + HttpTestNode.APP_KEY + "/1/nosuchss"), "[]");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.body()).contains("no such session");
            stillWorks(client, "news", 1);

            XhrClient ended = XhrClient.streaming(node.port(), HttpTestNode.APP_KEY);
            String socketId = ended.awaitSocketId(5000);
            ended.stop();
            long deadline = System.currentTimeMillis() + 10_000;
            while (node.transport().sessionCount() > 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(node.transport().sessionCount()).as("the dropped stream's session ended (%s)", socketId).isEqualTo(1);
            RawHttp.Answer afterEnd = RawHttp.post(node.port(), send(ended.sessionPath()), "[\"" + SUBSCRIBE.replace("\"", "\\\"") + "\"]");
            assertThat(afterEnd.status()).isEqualTo(404);
            stillWorks(client, "news", 2);
        }
    }

    @Test
    void aSessionPathUsedFromAnotherAddressIsRefusedAndTheSessionIsUntouched() throws Exception {
        start(HttpTransport.builder());
        try (XhrClient owner = XhrClient.streaming(node.port(), HttpTestNode.APP_KEY)) {
            owner.awaitSocketId(5000);
            String body = "[\"" + SUBSCRIBE.replace("\"", "\\\"") + "\"]";
            RawHttp.Answer foreignSend = RawHttp.request("127.0.0.2", node.port(), "POST", send(owner.sessionPath()),
                    Map.of("Content-Type", "application/json"), body);
            assertThat(foreignSend.status()).as("xhr_send from another address").isEqualTo(404);
            RawHttp.Answer foreignStream = RawHttp.request("127.0.0.2", node.port(), "POST",
                    owner.sessionPath() + "/xhr_streaming?protocol=7", Map.of(), "");
            assertThat(foreignStream.status()).as("a stream on another client's session").isEqualTo(409);
            assertThat(foreignStream.body()).contains("in use by another client");
            Thread.sleep(200);
            assertThat(owner.frames()).as("the foreign subscribe did nothing").isEmpty();
            assertThat(owner.streamsOpened()).isEqualTo(1);
            owner.subscribe("news", "", null);
            owner.await("pusher_internal:subscription_succeeded", "news", 5000);
            stillWorks(owner, "news", 1);
        }
    }

    @Test
    void malformedNonArrayAndOversizedXhrSendBodiesAreRefusedAndTheSessionKeepsWorking() throws Exception {
        start(HttpTransport.builder().maxSendBytes(1024));
        try (XhrClient client = XhrClient.streaming(node.port(), HttpTestNode.APP_KEY)) {
            client.awaitSocketId(5000);
            String path = send(client.sessionPath());
            RawHttp.Answer notJson = RawHttp.post(node.port(), path, "[\"unterminated");
            assertThat(notJson.status()).isEqualTo(400);
            assertThat(notJson.body()).contains("not valid JSON");
            RawHttp.Answer object = RawHttp.post(node.port(), path, SUBSCRIBE);
            assertThat(object.status()).isEqualTo(400);
            assertThat(object.body()).contains("JSON array of frame strings").contains("got a JSON object");
            RawHttp.Answer objects = RawHttp.post(node.port(), path, "[" + SUBSCRIBE + "]");
            assertThat(objects.status()).isEqualTo(400);
            assertThat(objects.body()).contains("got an element object");
            RawHttp.Answer empty = RawHttp.post(node.port(), path, "");
            assertThat(empty.status()).isEqualTo(400);
            RawHttp.Answer trailing = RawHttp.post(node.port(), path, "[] []");
            assertThat(trailing.status()).isEqualTo(400);
            RawHttp.Answer oversized = RawHttp.post(node.port(), path, "[\"" + "x".repeat(2000) + "\"]");
            assertThat(oversized.status()).isEqualTo(413);
            assertThat(oversized.body()).contains("maxSendBytes");
            Thread.sleep(200);
            assertThat(client.frames()).as("none of it reached the node").isEmpty();

            assertThat(client.subscribe("news", "", null)).isEqualTo(204);
            client.await("pusher_internal:subscription_succeeded", "news", 5000);
            stillWorks(client, "news", 1);
        }
    }

    @Test
    void aFloodOfNewSessionsFromOneAddressGets429PastTheCapWhileOthersStillConnect() throws Exception {
        start(HttpTransport.builder().maxSessionsPerIp(3).maxSessions(5));
        XhrClient[] mine = new XhrClient[3];
        try {
            for (int i = 0; i < mine.length; i++) {
                mine[i] = XhrClient.streaming(node.port(), HttpTestNode.APP_KEY);
                mine[i].awaitSocketId(5000);
            }
            mine[0].subscribe("news", "", null);
            mine[0].await("pusher_internal:subscription_succeeded", "news", 5000);
            for (int i = 0; i < 20; i++) {
                RawHttp.Answer more = RawHttp.request(node.port(), "POST", "/pusher/app/" + HttpTestNode.APP_KEY + "/9/flood" + i
                        + "aa/xhr_streaming?protocol=7", Map.of(), "");
                assertThat(more.status()).as("new session #%d past 3 from one address", i + 4).isEqualTo(429);
                assertThat(more.body()).contains("maxSessionsPerIp");
                assertThat(more.header("Retry-After")).isNotNull();
            }
            assertThat(node.transport().sessionCount()).isEqualTo(3);
            try (RawHttp.Stream other = RawHttp.open("127.0.0.2", node.port(), "POST",
                    "/pusher/app/" + HttpTestNode.APP_KEY + "/9/otherip1/xhr_streaming?protocol=7", Map.of());
                 RawHttp.Stream third = RawHttp.open("127.0.0.3", node.port(), "POST",
                         "/pusher/app/" + HttpTestNode.APP_KEY + "/9/otherip2/xhr_streaming?protocol=7", Map.of())) {
                assertThat(other.status()).as("another address still connects").isEqualTo(200);
                assertThat(third.status()).isEqualTo(200);
                RawHttp.Answer full = RawHttp.request("127.0.0.4", node.port(), "POST",
                        "/pusher/app/" + HttpTestNode.APP_KEY + "/9/otherip3/xhr_streaming?protocol=7", Map.of(), "");
                assertThat(full.status()).as("past maxSessions (5) in total").isEqualTo(503);
                assertThat(full.body()).contains("maxSessions");
            }
            stillWorks(mine[0], "news", 1);
        } finally {
            for (XhrClient c : mine) {
                if (c != null) {
                    c.stop();
                }
            }
        }
    }

    @Test
    void wrongMethodsAndUnknownModesAreRefused() throws Exception {
        start(HttpTransport.builder());
        String base = "/pusher/app/" + HttpTestNode.APP_KEY + "/1/abcdefgh/";
        RawHttp.Answer get = RawHttp.request(node.port(), "GET", base + "xhr_streaming", Map.of(), null);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).contains("POST");
        RawHttp.Answer polling = RawHttp.post(node.port(), base + "xhr", "");
        assertThat(polling.status()).as("a mode not served (xhr_polling is in realtime-transport-longpoll)").isEqualTo(404);
        assertThat(node.transport().sessionCount()).isZero();
    }

    @Test
    void corsPreflightIsAnsweredAndOriginsOutsideTheListAreRefused() throws Exception {
        start(HttpTransport.builder().allowedOrigins("https://app.example"));
        String path = "/pusher/app/" + HttpTestNode.APP_KEY + "/1/corstest/xhr_streaming";
        RawHttp.Answer preflight = RawHttp.request(node.port(), "OPTIONS", path, Map.of("Origin", "https://app.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"), null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("content-type");
        RawHttp.Answer evil = RawHttp.request(node.port(), "POST", path, Map.of("Origin", "https://evil.example"), "");
        assertThat(evil.status()).isEqualTo(403);
        assertThat(node.transport().sessionCount()).isZero();
    }
}
