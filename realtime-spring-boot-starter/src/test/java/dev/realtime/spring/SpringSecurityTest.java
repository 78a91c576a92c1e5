package dev.realtime.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.spring.secured.SecuredApplication;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With Spring Security and no Authenticator bean, the auth endpoints take the user from the session:
 * none gets 401, a signed-in session gets a signature that a real WebSocket connection subscribes with.
 */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "realtime.app-id=secured-app", "realtime.app-key=secured-key", "realtime.app-secret=secured-secret"})
class SpringSecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Test
    void withoutASessionTheAuthEndpointAnswers401() throws Exception {
        HttpClient anonymous = HttpClient.newHttpClient();
        HttpResponse<String> response = auth(anonymous, "/broadcasting/auth", "socket_id=123.456&channel_name=private-user.alice");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("error").asText()).contains("not authenticated");
        assertThat(auth(anonymous, "/broadcasting/user-auth", "socket_id=123.456").statusCode()).isEqualTo(401);
    }

    @Test
    void aSignedInSessionGetsASignatureItsSocketSubscribesWith() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        signIn(browser, "alice", "wonderland");
        try (PusherSocket socket = PusherSocket.connect(port, "secured-key")) {
            HttpResponse<String> own = auth(browser, "/broadcasting/auth",
                    "socket_id=" + socket.socketId() + "&channel_name=private-user.alice");
            assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
            socket.subscribe("private-user.alice", JSON.readTree(own.body()).path("auth").asText());
            socket.awaitEvent("private-user.alice", "pusher_internal:subscription_succeeded");

            HttpResponse<String> other = auth(browser, "/broadcasting/auth",
                    "socket_id=" + socket.socketId() + "&channel_name=private-user.bob");
            assertThat(other.statusCode()).isEqualTo(403);

            HttpResponse<String> user = auth(browser, "/broadcasting/user-auth", "socket_id=" + socket.socketId());
            assertThat(user.statusCode()).isEqualTo(200);
            JsonNode userData = JSON.readTree(JSON.readTree(user.body()).path("user_data").asText());
            assertThat(userData.path("id").asText()).isEqualTo("alice");
        }
    }

    @Test
    void aWrongPasswordGivesNoSessionAndStill401() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        signIn(browser, "alice", "not-the-password");
        assertThat(auth(browser, "/broadcasting/auth", "socket_id=123.456&channel_name=private-user.alice").statusCode())
                .isEqualTo(401);
    }

    private void signIn(HttpClient browser, String user, String password) throws Exception {
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).as("the login page's CSRF field in %s", page.body()).isTrue();
        String form = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1));
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
    }

    private HttpResponse<String> auth(HttpClient client, String path, String form) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
