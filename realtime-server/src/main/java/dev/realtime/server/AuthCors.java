package dev.realtime.server;

import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * CORS for the auth endpoints, so that a page served by the application's own origin can call them
 * on the realtime port. With no origins listed, any origin may call them without credentials
 * ({@code *}): safe, since pusher-js sends no cookies cross-origin and a bearer token is not ambient.
 * Listed origins are echoed with {@code Access-Control-Allow-Credentials: true} (cookie sessions).
 */
final class AuthCors {
    private static final String DEFAULT_ALLOWED_HEADERS = "Authorization, Content-Type, X-CSRF-TOKEN, X-Socket-ID, X-Requested-With";

    private final Set<String> origins;

    AuthCors(Set<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    /** Adds the CORS headers for the request's Origin, if it is allowed. */
    void apply(Request request, Response response) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return;
        }
        if (origins.isEmpty()) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        } else {
            response.getHeaders().add(HttpHeader.VARY, "Origin");
            if (origins.contains(origin)) {
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            }
        }
    }

    /** Answers a preflight {@code OPTIONS} request: 204 with the allowed method and headers. */
    void preflight(Request request, Response response, Callback callback) {
        apply(request, response);
        String headers = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, headers != null ? headers : DEFAULT_ALLOWED_HEADERS);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
        response.setStatus(204);
        callback.succeeded();
    }
}
