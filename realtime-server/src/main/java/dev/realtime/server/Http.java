package dev.realtime.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Small helpers to answer with JSON. */
final class Http {
    static final String JSON = "application/json";

    private Http() {
    }

    /** Writes {@code body} as the complete JSON response with {@code status}. */
    static void json(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, body, callback);
    }

    /** Writes {@code {"error":message}} with {@code status}. */
    static void error(Response response, Callback callback, int status, String message) {
        json(response, callback, status, "{\"error\":" + ServerJson.quote(message) + "}");
    }

    /** Writes {@code error} as {@code {"error":message}}, with {@code Connection: close} when it asks for it. */
    static void error(Response response, Callback callback, HttpError error) {
        if (error.closeConnection()) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        error(response, callback, error.status(), error.getMessage());
    }

    /**
     * Whether the request has a body (a {@code Content-Length} above 0, or chunked): one left unread
     * means the connection is closed after the answer.
     */
    static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** Writes a 405 naming the method to use. */
    static void methodNotAllowed(Request request, Response response, Callback callback, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        error(response, callback, 405, request.getMethod() + " is not allowed on " + request.getHttpURI().getPath()
                + ": use " + allowed);
    }
}
