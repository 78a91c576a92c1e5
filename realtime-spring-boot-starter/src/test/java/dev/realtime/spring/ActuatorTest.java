package dev.realtime.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.spring.app.TestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With Actuator, /actuator/health has a realtime component and /actuator/metrics the node's gauges, live. */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "realtime.app-id=actuator-app", "realtime.app-key=actuator-key", "realtime.app-secret=actuator-secret",
        "management.endpoints.web.exposure.include=health,metrics", "management.endpoint.health.show-details=always"})
class ActuatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Test
    void healthAndGaugesCountALiveWebSocketConnection() throws Exception {
        try (PusherSocket socket = PusherSocket.connect(port, "actuator-key")) {
            socket.subscribe("news", null);
            socket.awaitEvent("news", "pusher_internal:subscription_succeeded");
            JsonNode realtime = get("/actuator/health").path("components").path("realtime");
            assertThat(realtime.path("status").asText()).isEqualTo("UP");
            assertThat(realtime.path("details").path("connections").asInt()).isEqualTo(1);
            assertThat(realtime.path("details").path("subscriptions").asInt()).isEqualTo(1);
            assertThat(realtime.path("details").path("broker").asText()).isEqualTo("none");
            assertThat(get("/actuator/metrics/realtime.connections").path("measurements").get(0).path("value").asDouble())
                    .isEqualTo(1.0);
            assertThat(get("/actuator/metrics/realtime.subscriptions").path("measurements").get(0).path("value").asDouble())
                    .isEqualTo(1.0);
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
