package dev.realtime.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.Member;
import dev.realtime.http.HttpTestNode;
import dev.realtime.http.HttpTransport;
import dev.realtime.http.RawHttp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code text/event-stream} endpoint, read as {@code curl -N} reads it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventSourceStreamTest {
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

    private String sse(String query) {
        return "/pusher/app/" + HttpTestNode.APP_KEY + "/sse" + query;
    }

    /** The data of the next {@code data:} line whose frame has {@code event}. */
    private static JsonNode awaitFrame(RawHttp.Stream stream, String event) throws Exception {
        while (true) {
            String line = stream.awaitLine("data: ", 5000);
            JsonNode frame = JSON.readTree(line.substring(6));
            if (frame.path("event").asText().equals(event)) {
                return frame;
            }
        }
    }

    @Test
    void aStreamGivesItsSessionThenTheFramesOfTheChannelsAskedFor() throws Exception {
        node = start(HttpTransport.builder().modes(Sse.all()).build());
        try (RawHttp.Stream stream = RawHttp.open(node.port(), "GET", sse("?channels=news,sport"), Map.of("Accept", "text/event-stream"))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(stream.nextLine(5000)).isEqualTo("retry: 3000");
            assertThat(stream.nextLine(5000)).isEqualTo("event: session");
            JsonNode session = JSON.readTree(stream.nextLine(5000).substring(6));
            assertThat(session.get("id").asText()).hasSize(22);
            assertThat(session.get("secret").asText()).hasSize(22);
            assertThat(awaitFrame(stream, "pusher:connection_established").get("data").asText()).contains("socket_id");
            assertThat(awaitFrame(stream, "pusher_internal:subscription_succeeded").get("channel").asText()).isEqualTo("news");
            assertThat(awaitFrame(stream, "pusher_internal:subscription_succeeded").get("channel").asText()).isEqualTo("sport");
            node.realtime().broadcast("sport", "goal", Map.of("minute", 90));
            JsonNode goal = awaitFrame(stream, "goal");
            assertThat(goal.get("channel").asText()).isEqualTo("sport");
            assertThat(stream.nextLine(1000)).as("an event ends with an empty line").isEmpty();
        }
    }

    @Test
    void privateAndPresenceChannelsNeedTheRequestsUserToPassTheAuthorizers() throws Exception {
        node = start(HttpTransport.builder().modes(Sse.all()).build());
        RawHttp.Answer anonymous = RawHttp.request(node.port(), "GET", sse("?channels=news,private-orders"), Map.of(), null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).contains("error");
        RawHttp.Answer denied = RawHttp.request(node.port(), "GET", sse("?channels=private-forbidden"),
                Map.of("Authorization", "Bearer 7"), null);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(node.transport().sessionCount()).as("refused streams leave no session").isZero();

        try (RawHttp.Stream stream = RawHttp.open(node.port(), "GET", sse("?channels=private-orders,presence-room&token=7"), Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(awaitFrame(stream, "pusher_internal:subscription_succeeded").get("channel").asText()).isEqualTo("private-orders");
            JsonNode presence = awaitFrame(stream, "pusher_internal:subscription_succeeded");
            assertThat(presence.get("data").asText()).contains("User 7");
            assertThat(node.realtime().presence("presence-room")).extracting(Member::userId).containsExactly("7");
            node.realtime().broadcast("private-orders", "shipped", Map.of("id", 1));
            assertThat(awaitFrame(stream, "shipped").get("channel").asText()).isEqualTo("private-orders");
        }
    }

    @Test
    void framesGoUpByPostWithTheSessionSecretOnly() throws Exception {
        node = start(HttpTransport.builder().modes(Sse.all()).build());
        try (RawHttp.Stream stream = RawHttp.open(node.port(), "GET", sse(""), Map.of())) {
            stream.awaitLine("event: session", 5000);
            JsonNode session = JSON.readTree(stream.nextLine(5000).substring(6));
            String url = sse("/" + session.get("id").asText());
            String subscribe = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"later\"}}";
            assertThat(RawHttp.request(node.port(), "POST", url, Map.of(), subscribe).status()).as("no secret").isEqualTo(404);
            assertThat(RawHttp.request(node.port(), "POST", url, Map.of("X-Realtime-Secret", "guess"), subscribe).status())
                    .as("a wrong secret").isEqualTo(404);
            assertThat(RawHttp.request(node.port(), "POST", url + "x", Map.of("X-Realtime-Secret", session.get("secret").asText()), subscribe)
                    .status()).as("another id").isEqualTo(404);
            RawHttp.Answer ok = RawHttp.request(node.port(), "POST", url, Map.of("X-Realtime-Secret", session.get("secret").asText()), subscribe);
            assertThat(ok.status()).isEqualTo(204);
            assertThat(awaitFrame(stream, "pusher_internal:subscription_succeeded").get("channel").asText()).isEqualTo("later");
            RawHttp.Answer viaQuery = RawHttp.request(node.port(), "POST", url + "?secret=" + session.get("secret").asText(), Map.of(),
                    "[{\"event\":\"pusher:ping\",\"data\":{}}]");
            assertThat(viaQuery.status()).isEqualTo(204);
            awaitFrame(stream, "pusher:pong");
            RawHttp.Answer notAFrame = RawHttp.request(node.port(), "POST", url, Map.of("X-Realtime-Secret", session.get("secret").asText()), "42");
            assertThat(notAFrame.status()).isEqualTo(400);
            assertThat(RawHttp.request(node.port(), "GET", url, Map.of(), null).status()).isEqualTo(405);
        }
    }

    @Test
    void anIdleStreamGetsKeepAliveComments() throws Exception {
        node = start(HttpTransport.builder().modes(Sse.all()).heartbeatInterval(Duration.ofMillis(400)).build());
        try (RawHttp.Stream stream = RawHttp.open(node.port(), "GET", sse("?channels=quiet"), Map.of())) {
            awaitFrame(stream, "pusher_internal:subscription_succeeded");
            assertThat(stream.awaitLine(": keep-alive", 3000)).isEqualTo(": keep-alive");
            assertThat(stream.awaitLine(": keep-alive", 3000)).isEqualTo(": keep-alive");
        }
    }

    @Test
    void aWrongOrMissingKeyIs404AndTheNodesCloseEndsTheStream() throws Exception {
        node = start(HttpTransport.builder().modes(Sse.all()).build());
        RawHttp.Answer wrong = RawHttp.request(node.port(), "GET", "/pusher/app/nope/sse?channels=news", Map.of(), null);
        assertThat(wrong.status()).isEqualTo(404);
        assertThat(wrong.body()).contains("unknown app key");
        try (RawHttp.Stream stream = RawHttp.open(node.port(), "GET", sse("?channels=presence-room&token=9"), Map.of())) {
            awaitFrame(stream, "pusher_internal:subscription_succeeded");
            // (the node records the presence subscription just after sending its success: retry until it has)
            long until = System.currentTimeMillis() + 2000;
            int closedCount = node.realtime().disconnectUser("9");
            while (closedCount == 0 && System.currentTimeMillis() < until) {
                Thread.sleep(10);
                closedCount = node.realtime().disconnectUser("9");
            }
            assertThat(closedCount).isEqualTo(1);
            assertThat(stream.awaitLine("event: close", 5000)).isEqualTo("event: close");
            assertThat(stream.nextLine(2000)).contains("\"code\":4009");
            long deadline = System.currentTimeMillis() + 5000;
            while (!stream.ended() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(stream.ended()).isTrue();
        }
        long deadline = System.currentTimeMillis() + 5000; // the session is forgotten once its stream has ended
        while (node.transport().sessionCount() != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(node.transport().sessionCount()).isZero();
    }
}
