package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.Member;
import dev.realtime.User;
import dev.realtime.testing.TestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The auth endpoints pusher-js and laravel-echo call, with the app's authenticator and authorizers. */
class AuthEndpointsTest {
    private final AtomicReference<String> seenAddress = new AtomicReference<>();
    private final ServerTestSupport t = new ServerTestSupport(b -> b
            .authenticator(request -> {
                seenAddress.set(request.remoteAddress());
                String token = request.bearerToken();
                if (token == null) {
                    token = request.cookie("session");
                }
                if (token == null) {
                    token = request.header("X-User");
                }
                return token == null ? null : User.of(token, Map.of("name", "User " + token));
            })
            .authorize("private-orders.{userId}", (user, channel) -> user.id().equals(channel.param("userId")))
            .presence("presence-room.{id}", (user, channel) -> channel.param("id").equals("closed")
                    ? null : Member.of(user.id(), Map.of("name", user.info().get("name")))));

    @AfterEach
    void close() {
        t.close();
    }

    private static JsonNode json(HttpResponse<String> r) {
        return ServerJson.readOrNull(r.body());
    }

    private String socketId() {
        return t.memory.connect().socketId();
    }

    @Test
    void privateChannelAuthIsSignedWithTheAppSecret() throws Exception {
        String socket = socketId();
        for (String path : new String[] {"/broadcasting/auth", "/pusher/auth"}) {
            HttpResponse<String> r = t.postForm(path, "socket_id=" + socket + "&channel_name=private-orders.7",
                    "Authorization", "Bearer 7");
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            String expected = t.key + ":" + ServerTestSupport.hmac(t.secret, socket + ":private-orders.7");
            assertThat(json(r).get("auth").asText()).isEqualTo(expected);
        }
        assertThat(seenAddress.get()).isEqualTo("127.0.0.1");
    }

    @Test
    void presenceAuthCarriesTheSignedChannelData() throws Exception {
        String socket = socketId();
        HttpResponse<String> r = t.postForm("/pusher/auth", "socket_id=" + socket + "&channel_name=presence-room.1",
                "Cookie", "session=5");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String channelData = json(r).get("channel_data").asText();
        assertThat(ServerJson.readOrNull(channelData)).isEqualTo(ServerJson.readOrNull("{\"user_id\":\"5\",\"user_info\":{\"name\":\"User 5\"}}"));
        assertThat(json(r).get("auth").asText())
                .isEqualTo(t.key + ":" + ServerTestSupport.hmac(t.secret, socket + ":presence-room.1:" + channelData));
    }

    @Test
    void theSignatureSubscribesARealClient() throws Exception {
        TestClient client = t.memory.connect();
        HttpResponse<String> r = t.postForm("/broadcasting/auth", "socket_id=" + client.socketId() + "&channel_name=private-orders.3",
                "X-User", "3");
        String auth = json(r).get("auth").asText();
        client.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-orders.3\",\"auth\":" + ServerJson.quote(auth) + "}}");
        client.awaitEvent("private-orders.3", "pusher_internal:subscription_succeeded");
    }

    @Test
    void aJsonBodyIsAcceptedToo() throws Exception {
        String socket = socketId();
        HttpRequest request = HttpRequest.newBuilder(URI.create(t.server.url() + "/broadcasting/auth"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer 7")
                .POST(HttpRequest.BodyPublishers.ofString("{\"socket_id\":\"" + socket + "\",\"channel_name\":\"private-orders.7\"}"))
                .build();
        HttpResponse<String> r = t.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("auth").asText()).startsWith(t.key + ":");
    }

    @Test
    void noUserIs401() throws Exception {
        HttpResponse<String> r = t.postForm("/broadcasting/auth", "socket_id=" + socketId() + "&channel_name=private-orders.7");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("error").asText()).isNotBlank();
    }

    @Test
    void aDeniedChannelIs403() throws Exception {
        HttpResponse<String> r = t.postForm("/broadcasting/auth", "socket_id=" + socketId() + "&channel_name=private-orders.8",
                "Authorization", "Bearer 7");
        assertThat(r.statusCode()).isEqualTo(403);
        HttpResponse<String> presence = t.postForm("/pusher/auth", "socket_id=" + socketId() + "&channel_name=presence-room.closed",
                "Authorization", "Bearer 7");
        assertThat(presence.statusCode()).isEqualTo(403);
    }

    @Test
    void aBadSocketIdIs400() throws Exception {
        HttpResponse<String> r = t.postForm("/broadcasting/auth", "socket_id=nope&channel_name=private-orders.7",
                "Authorization", "Bearer 7");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("socket_id");
        HttpResponse<String> missing = t.postForm("/broadcasting/user-auth", "", "Authorization", "Bearer 7");
        assertThat(missing.statusCode()).isEqualTo(400);
    }

    @Test
    void userSignInIsSignedAndCarriesTheUserData() throws Exception {
        String socket = socketId();
        for (String path : new String[] {"/broadcasting/user-auth", "/pusher/user-auth"}) {
            HttpResponse<String> r = t.postForm(path, "socket_id=" + socket, "Authorization", "Bearer 9");
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
            String userData = json(r).get("user_data").asText();
            assertThat(ServerJson.readOrNull(userData).get("id").asText()).isEqualTo("9");
            assertThat(json(r).get("auth").asText())
                    .isEqualTo(t.key + ":" + ServerTestSupport.hmac(t.secret, socket + "::user::" + userData));
        }
        assertThat(t.postForm("/pusher/user-auth", "socket_id=" + socket).statusCode()).isEqualTo(401);
    }

    @Test
    void onlyPostIsAllowed() throws Exception {
        HttpResponse<String> r = t.get("/broadcasting/auth");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void anAuthenticatorThatThrowsIs500WithJson() throws Exception {
        try (ServerTestSupport failing = new ServerTestSupport(b -> b.authenticator(request -> {
            throw new IllegalStateException("database down");
        }))) {
            HttpResponse<String> r = failing.postForm("/broadcasting/auth", "socket_id=1.1&channel_name=private-x");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(json(r).get("error").asText()).contains("IllegalStateException");
        }
    }

    @Test
    void anyOriginMayCallWithoutCredentialsByDefault() throws Exception {
        HttpRequest preflight = HttpRequest.newBuilder(URI.create(t.server.url() + "/pusher/auth"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, x-socket-id").build();
        HttpResponse<String> r = t.http.send(preflight, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValue("authorization, x-socket-id");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        HttpResponse<String> post = t.postForm("/pusher/auth", "socket_id=" + socketId() + "&channel_name=private-orders.7",
                "Authorization", "Bearer 7", "Origin", "http://app.example");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void listedOriginsGetCredentialsAndOthersNoCorsHeaders() throws Exception {
        try (ServerTestSupport listed = new ServerTestSupport(b -> { }, s -> s.authOrigins("https://app.example"))) {
            HttpResponse<String> ok = listed.postForm("/pusher/auth", "socket_id=1.1&channel_name=private-x", "Origin", "https://app.example");
            assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
            assertThat(ok.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
            HttpResponse<String> other = listed.postForm("/pusher/auth", "socket_id=1.1&channel_name=private-x", "Origin", "https://evil.example");
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }
}
