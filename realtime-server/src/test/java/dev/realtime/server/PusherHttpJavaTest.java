package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import dev.realtime.Member;
import dev.realtime.User;
import dev.realtime.testing.TestClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pusher's own Java server SDK (com.pusher:pusher-http-java) publishing and querying through our HTTP API. */
class PusherHttpJavaTest {
    private final ServerTestSupport t = new ServerTestSupport(b -> b
            .presence("presence-*", (user, channel) -> Member.of(user.id(), Map.of())));
    private final Pusher pusher = new Pusher(t.appId, t.key, t.secret);

    PusherHttpJavaTest() {
        pusher.setHost("127.0.0.1:" + t.server.port());
        pusher.setEncrypted(false);
    }

    @AfterEach
    void close() throws Exception {
        pusher.close();
        t.close();
    }

    private static void assertOk(Result r) {
        assertThat(r.getStatus()).as(r.getHttpStatus() + " " + r.getMessage()).isEqualTo(Result.Status.SUCCESS);
    }

    @Test
    void triggerReachesSubscribersOfEveryChannel() {
        TestClient a = t.memory.connect().subscribe("orders");
        TestClient b = t.memory.connect().subscribe("invoices");
        Result r = pusher.trigger(List.of("orders", "invoices"), "order.shipped", Map.of("id", 7, "note", "naïve \"quoted\""));
        assertOk(r);
        assertThat(ServerJson.readOrNull(a.awaitEvent("orders", "order.shipped").data()))
                .isEqualTo(ServerJson.readOrNull("{\"id\":7,\"note\":\"naïve \\\"quoted\\\"\"}"));
        assertThat(b.awaitEvent("invoices", "order.shipped").data()).contains("naïve");
    }

    @Test
    void triggerWithSocketIdLeavesThatSocketOut() {
        TestClient sender = t.memory.connect().subscribe("orders");
        TestClient other = t.memory.connect().subscribe("orders");
        assertOk(pusher.trigger("orders", "created", Map.of("n", 1), sender.socketId()));
        other.awaitEvent("orders", "created");
        assertOk(pusher.trigger("orders", "created", Map.of("n", 2)));
        assertThat(sender.awaitEvent("orders", "created").data()).isEqualTo("{\"n\":2}");
        assertThat(sender.events("orders")).extracting(f -> f.event()).containsOnlyOnce("created");
    }

    @Test
    void channelQueriesAnswerThroughTheSdk() {
        t.memory.connect(User.of("1")).subscribe("presence-room");
        t.memory.connect(User.of("2")).subscribe("presence-room");
        t.memory.connect().subscribe("orders");

        Result list = pusher.get("/channels", Map.of("filter_by_prefix", "presence-", "info", "user_count"));
        assertOk(list);
        assertThat(ServerJson.readOrNull(list.getMessage()))
                .isEqualTo(ServerJson.readOrNull("{\"channels\":{\"presence-room\":{\"user_count\":2}}}"));

        Result one = pusher.get("/channels/orders", Map.of("info", "subscription_count"));
        assertOk(one);
        assertThat(ServerJson.readOrNull(one.getMessage())).isEqualTo(ServerJson.readOrNull("{\"occupied\":true,\"subscription_count\":1}"));

        Result users = pusher.get("/channels/presence-room/users");
        assertOk(users);
        JsonNode ids = ServerJson.readOrNull(users.getMessage()).get("users");
        assertThat(ids).extracting(n -> n.get("id").asText()).containsExactly("1", "2");
    }

    @Test
    void aWrongSecretIsRefusedWith401() throws Exception {
        try (Pusher wrong = new Pusher(t.appId, t.key, "not-the-secret")) {
            wrong.setHost("127.0.0.1:" + t.server.port());
            wrong.setEncrypted(false);
            Result r = wrong.trigger("orders", "x", Map.of());
            assertThat(r.getHttpStatus()).isEqualTo(401);
            assertThat(r.getStatus()).isEqualTo(Result.Status.AUTHENTICATION_ERROR);
        }
    }

    @Test
    void channelNamesWithEveryAllowedPunctuationWorkInBodiesAndPaths() {
        String name = "presence-a=b@c,d;e.f_g-h";
        t.memory.connect(User.of("1")).subscribe(name);
        TestClient c = t.memory.connect(User.of("2")).subscribe(name);
        assertOk(pusher.trigger(name, "e", Map.of()));
        c.awaitEvent(name, "e");
        Result one = pusher.get("/channels/" + name, Map.of("info", "user_count"));
        assertOk(one);
        assertThat(ServerJson.readOrNull(one.getMessage())).isEqualTo(ServerJson.readOrNull("{\"occupied\":true,\"user_count\":2}"));
        Result users = pusher.get("/channels/" + name + "/users");
        assertOk(users);
        assertThat(ServerJson.readOrNull(users.getMessage()).get("users")).hasSize(2);
    }
}
