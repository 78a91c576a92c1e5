package dev.realtime.spring.autoconfigure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.AuthResponse;
import dev.realtime.Realtime;
import dev.realtime.User;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The auth endpoints pusher-js and laravel-echo call (PROTOCOL.md §3), as Spring MVC functional
 * endpoints, so they run behind the application's filters (Spring Security's included): the user from
 * the {@code Authenticator}, the answer from {@link Realtime#authorizeChannel} / {@link Realtime#authenticateUser}.
 * Bodies are form fields ({@code socket_id}, {@code channel_name}, as pusher-js sends) or a JSON object.
 */
final class AuthEndpointHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Realtime realtime;
    private final int maxBodyBytes;

    AuthEndpointHandler(Realtime realtime, int maxBodyBytes) {
        this.realtime = realtime;
        this.maxBodyBytes = maxBodyBytes;
    }

    ServerResponse channel(ServerRequest request) {
        return handle(request, true);
    }

    ServerResponse user(ServerRequest request) {
        return handle(request, false);
    }

    private ServerResponse handle(ServerRequest request, boolean channel) {
        HttpServletRequest servlet = request.servletRequest();
        if (!"POST".equals(servlet.getMethod())) {
            String message = servlet.getMethod() + " is not allowed on " + servlet.getRequestURI() + ": use POST";
            return json(ServerResponse.status(405).header(HttpHeaders.ALLOW, "POST"), errorBody(message));
        }
        Map<String, String> fields;
        try {
            fields = fields(servlet);
        } catch (BadBody e) {
            return json(ServerResponse.status(e.status), errorBody(e.getMessage()));
        }
        User user = realtime.authenticate(new ServletAuthRequest(servlet, fields));
        AuthResponse answer = channel
                ? realtime.authorizeChannel(fields.get("socket_id"), fields.get("channel_name"), user)
                : realtime.authenticateUser(fields.get("socket_id"), user);
        return json(ServerResponse.status(answer.status()), answer.body());
    }

    private Map<String, String> fields(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        if (length > maxBodyBytes) {
            throw new BadBody(413, "the request body is larger than " + maxBodyBytes + " bytes");
        }
        String type = request.getContentType();
        Map<String, String> fields = new LinkedHashMap<>();
        if (type != null && MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(type))) {
            JsonNode node;
            try {
                node = JSON.readTree(read(request));
            } catch (IOException e) {
                throw new BadBody(400, "the request body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
            if (node == null || !node.isObject()) {
                throw new BadBody(400, "the request body must be a JSON object or form fields");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        } else {
            // form fields through the container, which may already have parsed them for a filter (CSRF, …)
            request.getParameterMap().forEach((k, v) -> fields.put(k, v.length == 0 ? "" : v[0]));
        }
        return fields;
    }

    private byte[] read(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw new BadBody(413, "the request body is larger than " + maxBodyBytes + " bytes");
            }
            return body;
        }
    }

    private static ServerResponse json(ServerResponse.BodyBuilder builder, String body) {
        return builder.contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"error": message}}, as every endpoint of the starter answers a refusal. */
    static String errorBody(String message) {
        try {
            return "{\"error\":" + JSON.writeValueAsString(message) + "}";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A body the endpoint refuses, with its status. */
    private static final class BadBody extends RuntimeException {
        final int status;

        BadBody(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
