package dev.realtime.longpoll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.http.HttpTestNode;
import dev.realtime.http.HttpTransport;
import dev.realtime.http.RawHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The plain JSON long-poll, driven as curl would drive it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JsonPollTest {
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

    private String poll(String rest) {
        return "/pusher/app/" + HttpTestNode.APP_KEY + "/poll" + rest;
    }

    /** Polls until {@code event} arrives; every frame seen, in order. */
    private List<JsonNode> pollUntil(String id, String secret, String event) throws Exception {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            RawHttp.Answer a = RawHttp.request(node.port(), "GET", poll("/" + id), Map.of("X-Realtime-Secret", secret), null);
            assertThat(a.status()).isEqualTo(200);
            JsonNode body = JSON.readTree(a.body());
            for (JsonNode f : body.get("frames")) {
                seen.add(f);
                if (f.path("event").asText().equals(event)) {
                    return seen;
                }
            }
            if (body.has("close")) {
                seen.add(body);
                return seen;
            }
        }
        throw new AssertionError("no " + event + "; got " + seen);
    }

    @Test
    void aSessionOpensSubscribedThenPollsCarryItsFramesAndSendsGoUp() throws Exception {
        node = start(HttpTransport.builder().modes(LongPolling.all()).pollTimeout(Duration.ofMillis(500)).build());
        RawHttp.Answer opened = RawHttp.request(node.port(), "POST", poll("?channels=news,private-orders&token=5"), Map.of(), "");
        assertThat(opened.status()).isEqualTo(200);
        JsonNode session = JSON.readTree(opened.body());
        String id = session.get("session").asText();
        String secret = session.get("secret").asText();
        List<JsonNode> first = pollUntil(id, secret, "pusher_internal:subscription_succeeded");
        assertThat(first.get(0).get("event").asText()).isEqualTo("pusher:connection_established");
        node.realtime().broadcast("private-orders", "shipped", Map.of("id", 3));
        List<JsonNode> next = pollUntil(id, secret, "shipped");
        assertThat(next.get(next.size() - 1).get("channel").asText()).isEqualTo("private-orders");

        RawHttp.Answer idle = RawHttp.request(node.port(), "GET", poll("/" + id + "?secret=" + secret), Map.of(), null);
        assertThat(idle.body()).as("after the poll timeout").isEqualTo("{\"frames\":[]}\n");

        RawHttp.Answer sent = RawHttp.request(node.port(), "POST", poll("/" + id), Map.of("X-Realtime-Secret", secret),
                "{\"event\":\"pusher:ping\",\"data\":{}}");
        assertThat(sent.status()).isEqualTo(204);
        pollUntil(id, secret, "pusher:pong");

        assertThat(RawHttp.request(node.port(), "GET", poll("/" + id), Map.of("X-Realtime-Secret", "wrong"), null).status())
                .isEqualTo(404);
        assertThat(RawHttp.request(node.port(), "GET", poll("/" + id), Map.of(), null).status()).isEqualTo(404);
    }

    @Test
    void refusalsAndTheClose() throws Exception {
        node = start(HttpTransport.builder().modes(LongPolling.all()).build());
        assertThat(RawHttp.request(node.port(), "POST", poll("?channels=private-x"), Map.of(), "").status()).isEqualTo(401);
        assertThat(RawHttp.request(node.port(), "POST", "/pusher/app/wrong/poll", Map.of(), "").status()).isEqualTo(404);
        assertThat(RawHttp.request(node.port(), "GET", poll(""), Map.of(), null).status()).isEqualTo(405);
        assertThat(node.transport().sessionCount()).isZero();

        JsonNode session = JSON.readTree(RawHttp.request(node.port(), "POST", poll("?channels=presence-lobby&token=8"), Map.of(), "").body());
        String id = session.get("session").asText();
        String secret = session.get("secret").asText();
        pollUntil(id, secret, "pusher_internal:subscription_succeeded");
        long until = System.currentTimeMillis() + 2000;
        while (node.realtime().disconnectUser("8") == 0 && System.currentTimeMillis() < until) {
            Thread.sleep(10);
        }
        List<JsonNode> last = pollUntil(id, secret, "never");
        JsonNode close = last.get(last.size() - 1).get("close");
        assertThat(close.get("code").asInt()).isEqualTo(4009);
        long gone = System.currentTimeMillis() + 5000;
        while (node.transport().sessionCount() > 0 && System.currentTimeMillis() < gone) {
            Thread.sleep(10); // the session ends as the close's answer completes, just after the client has it
        }
        assertThat(RawHttp.request(node.port(), "GET", poll("/" + id), Map.of("X-Realtime-Secret", secret), null).status())
                .as("the session is gone after its close").isEqualTo(404);
    }
}
