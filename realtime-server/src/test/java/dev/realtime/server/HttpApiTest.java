package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.Member;
import dev.realtime.User;
import dev.realtime.testing.TestClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {
    /** PROTOCOL.md §7's test vector, as a Pusher SDK would send it. */
    static final class Vector {
        static final String KEY = "278d425bdf160c739803";
        static final String SECRET = "7ad3773142a6692b25b8";
        static final String BODY = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";
        static final long TIMESTAMP = 1353088179;

        static java.util.Map<String, String> vectorParams() {
            java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
            params.put("auth_key", KEY);
            params.put("auth_timestamp", Long.toString(TIMESTAMP));
            params.put("auth_version", "1.0");
            params.put("body_md5", "ec365a775a4cd0599faeb73354201b6f");
            params.put("auth_signature", "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
            return params;
        }
    }

    private final ServerTestSupport t = new ServerTestSupport(b -> b
            .authorize("private-*", (user, channel) -> true)
            .presence("presence-*", (user, channel) -> Member.of(user.id(), Map.of("name", "n" + user.id()))));

    @AfterEach
    void close() {
        t.close();
    }

    private String events() {
        return "/apps/" + t.appId + "/events";
    }

    private static String event(String channelsJson, String data) {
        return "{\"name\":\"greet\",\"channels\":" + channelsJson + ",\"data\":" + ServerJson.quote(data) + "}";
    }

    private static JsonNode json(HttpResponse<String> r) {
        return ServerJson.readOrNull(r.body());
    }

    @Test
    void signedPublishReachesASubscriberWithDataByteForByte() throws Exception {
        TestClient alice = t.memory.connect().subscribe("chat");
        String data = "{\"text\":\"héllo\",  \"n\":1}";
        HttpResponse<String> r = t.api("POST", events(), Map.of(), event("[\"chat\"]", data));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{}");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(alice.awaitEvent("chat", "greet").data()).isEqualTo(data);
    }

    @Test
    void protocolTestVectorIsAcceptedEndToEnd() throws Exception {
        try (ServerTestSupport v = new ServerTestSupport("3", Vector.KEY, Vector.SECRET,
                b -> { }, () -> Vector.TIMESTAMP)) {
            TestClient c = v.memory.connect().subscribe("project-3");
            HttpResponse<String> r = v.send("POST", "/apps/3/events", Vector.vectorParams(), Vector.BODY);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(c.awaitEvent("project-3", "foo").data()).isEqualTo("{\"some\":\"data\"}");
        }
    }

    @Test
    void badSignatureIs401AndPublishesNothing() throws Exception {
        TestClient alice = t.memory.connect().subscribe("chat");
        String body = event("[\"chat\"]", "x");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("auth_key", t.key);
        params.put("auth_timestamp", Long.toString(System.currentTimeMillis() / 1000));
        params.put("auth_version", "1.0");
        params.put("body_md5", ServerTestSupport.md5(body));
        params.put("auth_signature", ServerTestSupport.sign("wrong-secret", "POST", events(), params));
        HttpResponse<String> r = t.send("POST", events(), params, body);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("error").asText()).contains("auth_signature");
        assertThat(alice.received("chat", "greet")).isFalse();
    }

    @Test
    void wrongKeyIs401() throws Exception {
        String body = event("[\"chat\"]", "x");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("auth_key", "someone-else");
        params.put("auth_timestamp", Long.toString(System.currentTimeMillis() / 1000));
        params.put("auth_version", "1.0");
        params.put("body_md5", ServerTestSupport.md5(body));
        params.put("auth_signature", ServerTestSupport.sign(t.secret, "POST", events(), params));
        HttpResponse<String> r = t.send("POST", events(), params, body);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("error").asText()).contains("auth_key");
    }

    @Test
    void staleTimestampIs401() throws Exception {
        t.clock = () -> System.currentTimeMillis() / 1000 - 3600;
        HttpResponse<String> r = t.api("POST", events(), Map.of(), event("[\"chat\"]", "x"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("error").asText()).contains("auth_timestamp");
    }

    @Test
    void wrongBodyMd5Is401() throws Exception {
        String body = event("[\"chat\"]", "x");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("auth_key", t.key);
        params.put("auth_timestamp", Long.toString(System.currentTimeMillis() / 1000));
        params.put("auth_version", "1.0");
        params.put("body_md5", ServerTestSupport.md5(body + " "));
        params.put("auth_signature", ServerTestSupport.sign(t.secret, "POST", events(), params));
        HttpResponse<String> r = t.send("POST", events(), params, body);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("error").asText()).contains("body_md5");
    }

    @Test
    void unknownAppIs404() throws Exception {
        HttpResponse<String> r = t.api("POST", "/apps/other-app/events", Map.of(), event("[\"chat\"]", "x"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).contains("other-app");
    }

    @Test
    void unknownApiPathIs404AndWrongMethodIs405() throws Exception {
        assertThat(t.api("GET", "/apps/" + t.appId + "/nothing", Map.of(), null).statusCode()).isEqualTo(404);
        HttpResponse<String> r = t.api("GET", events(), Map.of(), null);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void dataOverThePayloadLimitIs413() throws Exception {
        TestClient alice = t.memory.connect().subscribe("chat");
        HttpResponse<String> r = t.api("POST", events(), Map.of(), event("[\"chat\"]", "x".repeat(10 * 1024 + 1)));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).contains("10240 bytes");
        assertThat(t.api("POST", events(), Map.of(), event("[\"chat\"]", "x".repeat(10 * 1024))).statusCode()).isEqualTo(200);
        assertThat(alice.events("chat")).hasSize(2); // subscription_succeeded and the one accepted event
    }

    @Test
    void bodyOverTheRequestLimitIs413() throws Exception {
        String body = event("[\"chat\"]", "x".repeat(RealtimeServer.DEFAULT_MAX_REQUEST_BODY_BYTES));
        HttpResponse<String> r = t.api("POST", events(), Map.of(), body);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).contains("request body is larger than");
    }

    @Test
    void moreThan100ChannelsIs400() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            names.add("\"c" + i + "\"");
        }
        HttpResponse<String> r = t.api("POST", events(), Map.of(), event("[" + String.join(",", names) + "]", "x"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("too many channels: 101");
        names.remove(100);
        assertThat(t.api("POST", events(), Map.of(), event("[" + String.join(",", names) + "]", "x")).statusCode()).isEqualTo(200);
    }

    @Test
    void malformedBodiesAre400WithTheReason() throws Exception {
        assertThat(json(t.api("POST", events(), Map.of(), "{not json")).get("error").asText()).contains("not valid JSON");
        HttpResponse<String> noName = t.api("POST", events(), Map.of(), "{\"channels\":[\"a\"],\"data\":\"x\"}");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(json(noName).get("error").asText()).isEqualTo("name is missing");
        HttpResponse<String> badChannel = t.api("POST", events(), Map.of(), event("[\"bad channel!\"]", "x"));
        assertThat(badChannel.statusCode()).isEqualTo(400);
        assertThat(json(badChannel).get("error").asText()).contains("channel name contains ' '");
        HttpResponse<String> noChannels = t.api("POST", events(), Map.of(), "{\"name\":\"e\",\"data\":\"x\"}");
        assertThat(json(noChannels).get("error").asText()).isEqualTo("channels is missing");
        HttpResponse<String> reserved = t.api("POST", events(), Map.of(), "{\"name\":\"pusher:x\",\"channel\":\"a\",\"data\":\"x\"}");
        assertThat(reserved.statusCode()).isEqualTo(400);
        HttpResponse<String> badSocket = t.api("POST", events(), Map.of(),
                "{\"name\":\"e\",\"channel\":\"a\",\"data\":\"x\",\"socket_id\":\"abc\"}");
        assertThat(json(badSocket).get("error").asText()).contains("socket_id");
    }

    @Test
    void socketIdIsLeftOut() throws Exception {
        TestClient sender = t.memory.connect().subscribe("chat");
        TestClient other = t.memory.connect().subscribe("chat");
        String body = "{\"name\":\"greet\",\"channels\":[\"chat\"],\"data\":\"1\",\"socket_id\":\"" + sender.socketId() + "\"}";
        assertThat(t.api("POST", events(), Map.of(), body).statusCode()).isEqualTo(200);
        other.awaitEvent("chat", "greet");
        assertThat(t.api("POST", events(), Map.of(), event("[\"chat\"]", "2")).statusCode()).isEqualTo(200);
        assertThat(sender.awaitEvent("chat", "greet").data()).isEqualTo("2");
        assertThat(sender.events("chat")).extracting(f -> f.data()).doesNotContain("1");
    }

    @Test
    void eventsAnswerTheInfoAskedFor() throws Exception {
        t.memory.connect(User.of("1")).subscribe("presence-room");
        t.memory.connect(User.of("1")).subscribe("presence-room");
        t.memory.connect().subscribe("chat");
        String body = "{\"name\":\"e\",\"channels\":[\"presence-room\",\"chat\"],\"data\":\"x\",\"info\":\"user_count,subscription_count\"}";
        HttpResponse<String> r = t.api("POST", events(), Map.of(), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(ServerJson.readOrNull(
                "{\"channels\":{\"presence-room\":{\"user_count\":1,\"subscription_count\":2},\"chat\":{\"subscription_count\":1}}}"));
    }

    @Test
    void batchPublishesEachEventAndRefusesMoreThanTen() throws Exception {
        TestClient c = t.memory.connect().subscribe("a").subscribe("b");
        String batch = "{\"batch\":[{\"name\":\"e1\",\"channel\":\"a\",\"data\":\"1\"},"
                + "{\"name\":\"e2\",\"channel\":\"b\",\"data\":\"2\",\"info\":\"subscription_count\"}]}";
        HttpResponse<String> r = t.api("POST", "/apps/" + t.appId + "/batch_events", Map.of(), batch);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(ServerJson.readOrNull("{\"batch\":[{},{\"subscription_count\":1}]}"));
        assertThat(c.awaitEvent("a", "e1").data()).isEqualTo("1");
        assertThat(c.awaitEvent("b", "e2").data()).isEqualTo("2");

        StringBuilder eleven = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : ",").append("{\"name\":\"many\",\"channel\":\"a\",\"data\":\"x\"}");
        }
        HttpResponse<String> tooMany = t.api("POST", "/apps/" + t.appId + "/batch_events", Map.of(), eleven.append("]}").toString());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany).get("error").asText()).contains("11 events, at most 10");
        assertThat(c.received("a", "many")).isFalse();
    }

    @Test
    void aBatchWithOneBadEventSendsNothing() throws Exception {
        TestClient c = t.memory.connect().subscribe("a");
        String batch = "{\"batch\":[{\"name\":\"ok\",\"channel\":\"a\",\"data\":\"1\"},{\"name\":\"bad\",\"channel\":\"no way\",\"data\":\"2\"}]}";
        HttpResponse<String> r = t.api("POST", "/apps/" + t.appId + "/batch_events", Map.of(), batch);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).startsWith("batch[1]: ");
        assertThat(c.received("a", "ok")).isFalse();
    }

    @Test
    void channelsListFiltersByPrefixAndCountsUsersOfPresenceChannels() throws Exception {
        t.memory.connect(User.of("1")).subscribe("presence-room");
        t.memory.connect(User.of("2")).subscribe("presence-room");
        t.memory.connect().subscribe("chat").subscribe("news");
        String path = "/apps/" + t.appId + "/channels";
        HttpResponse<String> all = t.api("GET", path, Map.of(), null);
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        assertThat(json(all).get("channels").fieldNames()).toIterable().containsExactlyInAnyOrder("presence-room", "chat", "news");
        HttpResponse<String> presence = t.api("GET", path, Map.of("filter_by_prefix", "presence-", "info", "user_count"), null);
        assertThat(json(presence)).isEqualTo(ServerJson.readOrNull("{\"channels\":{\"presence-room\":{\"user_count\":2}}}"));
        HttpResponse<String> refused = t.api("GET", path, Map.of("info", "user_count"), null);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("error").asText()).contains("presence-");
        HttpResponse<String> prefixed = t.api("GET", path, Map.of("filter_by_prefix", "ne"), null);
        assertThat(json(prefixed)).isEqualTo(ServerJson.readOrNull("{\"channels\":{\"news\":{}}}"));
    }

    @Test
    void channelInfoAnswersOccupiedAndCounts() throws Exception {
        t.memory.connect(User.of("1")).subscribe("presence-room");
        t.memory.connect(User.of("1")).subscribe("presence-room");
        String base = "/apps/" + t.appId + "/channels/";
        HttpResponse<String> r = t.api("GET", base + "presence-room", Map.of("info", "user_count,subscription_count"), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(ServerJson.readOrNull("{\"occupied\":true,\"user_count\":1,\"subscription_count\":2}"));
        assertThat(json(t.api("GET", base + "empty", Map.of(), null))).isEqualTo(ServerJson.readOrNull("{\"occupied\":false}"));
        assertThat(t.api("GET", base + "chat", Map.of("info", "user_count"), null).statusCode()).isEqualTo(400);
    }

    @Test
    void usersOfAPresenceChannel() throws Exception {
        t.memory.connect(User.of("1")).subscribe("presence-room");
        t.memory.connect(User.of("2")).subscribe("presence-room");
        t.memory.connect(User.of("2")).subscribe("presence-room");
        String base = "/apps/" + t.appId + "/channels/";
        HttpResponse<String> r = t.api("GET", base + "presence-room/users", Map.of(), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(ServerJson.readOrNull("{\"users\":[{\"id\":\"1\"},{\"id\":\"2\"}]}"));
        HttpResponse<String> notPresence = t.api("GET", base + "private-x/users", Map.of(), null);
        assertThat(notPresence.statusCode()).isEqualTo(400);
        assertThat(json(notPresence).get("error").asText()).contains("presence");
    }

    @Test
    void terminateConnectionsClosesEveryConnectionOfTheUser() throws Exception {
        TestClient a = t.memory.connect(User.of("42")).signin();
        TestClient b = t.memory.connect(User.of("42")).subscribe("presence-room");
        TestClient other = t.memory.connect(User.of("7")).signin();
        HttpResponse<String> r = t.api("POST", "/apps/" + t.appId + "/users/42/terminate_connections", Map.of(), "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{}");
        assertThat(a.awaitClose(Duration.ofSeconds(5))).isEqualTo(4009);
        assertThat(b.awaitClose(Duration.ofSeconds(5))).isEqualTo(4009);
        assertThat(other.isOpen()).isTrue();
    }

    @Test
    void serverToUserChannelGoesToTheSignedInUserAndOtherInternalChannelsAre400() throws Exception {
        TestClient user = t.memory.connect(User.of("42")).signin();
        TestClient other = t.memory.connect(User.of("7")).signin();
        HttpResponse<String> r = t.api("POST", events(), Map.of(), event("[\"#server-to-user-42\"]", "{\"n\":1}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(user.awaitUserEvent("greet").data()).isEqualTo("{\"n\":1}");
        assertThat(other.received("#server-to-user-7", "greet")).isFalse();
        HttpResponse<String> internal = t.api("POST", events(), Map.of(), event("[\"#other\"]", "x"));
        assertThat(internal.statusCode()).isEqualTo(400);
        assertThat(json(internal).get("error").asText()).contains("#");
    }

    @Test
    void aPercentEncodedPathSignedEitherWayIsAccepted() throws Exception {
        t.memory.connect(User.of("1")).subscribe("presence-a;b");
        String encoded = "/apps/" + t.appId + "/channels/presence-a%3Bb";
        HttpResponse<String> signedEncoded = t.api("GET", encoded, Map.of("info", "user_count"), null);
        assertThat(signedEncoded.statusCode()).as(signedEncoded.body()).isEqualTo(200);
        assertThat(json(signedEncoded)).isEqualTo(ServerJson.readOrNull("{\"occupied\":true,\"user_count\":1}"));

        Map<String, String> params = new LinkedHashMap<>();
        params.put("auth_key", t.key);
        params.put("auth_timestamp", Long.toString(System.currentTimeMillis() / 1000));
        params.put("auth_version", "1.0");
        params.put("auth_signature", ServerTestSupport.sign(t.secret, "GET", "/apps/" + t.appId + "/channels/presence-a;b", params));
        HttpResponse<String> signedDecoded = t.send("GET", encoded, params, null);
        assertThat(signedDecoded.statusCode()).as(signedDecoded.body()).isEqualTo(200);
    }
}
