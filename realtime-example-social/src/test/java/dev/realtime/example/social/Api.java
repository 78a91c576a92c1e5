package dev.realtime.example.social;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client for the app's JSON API, as any client of it would be. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer: status, headers and the JSON body (null when there is none). */
    record Reply(int status, HttpHeaders headers, JsonNode body, String text) {
        JsonNode get(String field) {
            return body.get(field);
        }

        /** Asserts the status, showing the body when it differs. */
        Reply expect(int expected) {
            assertThat(status).as("status of an answer whose body is %s", text).isEqualTo(expected);
            return this;
        }
    }

    final String base;

    Api(int port) {
        this("http://127.0.0.1:" + port);
    }

    Api(String base) {
        this.base = base;
    }

    /** Logs in as a demo user and returns the token. */
    String login(String username) {
        Reply reply = send("POST", "/api/login", null, Map.of("username", username, "password", "demo")).expect(200);
        return reply.get("token").asText();
    }

    long userId(String username) {
        return send("POST", "/api/login", null, Map.of("username", username, "password", "demo")).expect(200)
                .get("user").get("id").asLong();
    }

    Reply get(String path, String token) {
        return send("GET", path, token, null);
    }

    Reply post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    Reply delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    /** Sends {@code body} as JSON (a String is sent as it is, to send malformed JSON). */
    Reply send(String method, String path, String token, Object body) {
        try {
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                    .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
            if (text != null) {
                request.header("Content-Type", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String answer = response.body();
            JsonNode json = null;
            if (response.headers().firstValue("Content-Type").orElse("").contains("json") && !answer.isEmpty()) {
                json = JSON.readTree(answer);
            }
            return new Reply(response.statusCode(), response.headers(), json, answer);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
