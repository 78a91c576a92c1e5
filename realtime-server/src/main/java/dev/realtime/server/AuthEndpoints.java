package dev.realtime.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.AuthResponse;
import dev.realtime.Realtime;
import dev.realtime.User;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * The auth endpoints pusher-js and laravel-echo call (PROTOCOL.md §3): channel authorization at
 * {@code /broadcasting/auth} and {@code /pusher/auth}, user sign-in at {@code /broadcasting/user-auth}
 * and {@code /pusher/user-auth}. The user comes from the app's {@code Authenticator}; the answer
 * from the core ({@link Realtime#authorizeChannel}, {@link Realtime#authenticateUser}).
 */
final class AuthEndpoints {
    static final Set<String> CHANNEL_PATHS = Set.of("/broadcasting/auth", "/pusher/auth");
    static final Set<String> USER_PATHS = Set.of("/broadcasting/user-auth", "/pusher/user-auth");

    private final Realtime realtime;
    private final BodyReader.Limits bodyLimits;
    private final AuthCors cors;

    AuthEndpoints(Realtime realtime, BodyReader.Limits bodyLimits, AuthCors cors) {
        this.realtime = realtime;
        this.bodyLimits = bodyLimits;
        this.cors = cors;
    }

    /** Whether {@code path} is one of the auth endpoints. */
    static boolean serves(String path) {
        return CHANNEL_PATHS.contains(path) || USER_PATHS.contains(path);
    }

    /** Handles a request to one of the auth endpoints. */
    void handle(Request request, Response response, Callback callback) {
        if ("OPTIONS".equals(request.getMethod())) {
            cors.preflight(request, response, callback);
            return;
        }
        cors.apply(request, response);
        if (!"POST".equals(request.getMethod())) {
            if (Http.hasBody(request)) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            Http.methodNotAllowed(request, response, callback, "POST");
            return;
        }
        boolean channel = CHANNEL_PATHS.contains(request.getHttpURI().getPath());
        BodyReader.read(request, bodyLimits, (body, error) -> {
            if (error != null) {
                Http.error(response, callback, error);
                return;
            }
            // the app's authenticator and authorizers may block (a session store, a database): never on an I/O thread
            try {
                request.getComponents().getExecutor().execute(() -> answer(request, response, callback, channel, body));
            } catch (RejectedExecutionException e) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                Http.error(response, callback, 503, "the server is too busy to authorize now: retry (RealtimeServer maxThreads)");
            }
        });
    }

    /** Runs the app's authenticator and the core's authorization, and writes the answer; on a pool thread. */
    private void answer(Request request, Response response, Callback callback, boolean channel, byte[] body) {
        try {
            Map<String, String> params = parameters(request, body);
            User user = realtime.authenticate(new JettyAuthRequest(request, params));
            String socketId = params.get("socket_id");
            AuthResponse answer = channel
                    ? realtime.authorizeChannel(socketId, params.get("channel_name"), user)
                    : realtime.authenticateUser(socketId, user);
            Http.json(response, callback, answer.status(), answer.body());
        } catch (HttpError e) {
            Http.error(response, callback, e);
        } catch (RuntimeException e) {
            RealtimeServer.LOG.error("auth endpoint {} failed", request.getHttpURI().getPath(), e);
            Http.error(response, callback, 500, "authentication failed on the server: " + e.getClass().getSimpleName());
        }
    }

    /** The body's fields (form-encoded, or a JSON object) then the query's, body first. */
    private static Map<String, String> parameters(Request request, byte[] body) {
        Map<String, String> params = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (!text.isBlank()) {
            if (type != null && type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
                jsonFields(text, params);
            } else {
                Fields form = new Fields();
                try {
                    UrlEncoded.decodeUtf8To(text, form);
                } catch (RuntimeException e) {
                    throw new HttpError(400, "the form body cannot be decoded: " + e.getMessage());
                }
                form.forEach(f -> params.putIfAbsent(f.getName(), f.getValue()));
            }
        }
        try {
            Request.extractQueryParameters(request).forEach(f -> params.putIfAbsent(f.getName(), f.getValue()));
        } catch (RuntimeException e) {
            throw new HttpError(400, "the query string cannot be decoded: " + e.getMessage());
        }
        return params;
    }

    private static void jsonFields(String text, Map<String, String> params) {
        JsonNode node = ServerJson.readOrNull(text);
        if (node == null || !node.isObject()) {
            throw new HttpError(400, "the body is not a JSON object: send socket_id and channel_name form-encoded or as JSON");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                params.putIfAbsent(e.getKey(), e.getValue().asText());
            }
        }
    }
}
