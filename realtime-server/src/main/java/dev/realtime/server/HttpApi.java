package dev.realtime.server;

import dev.realtime.PusherHttpApi;
import dev.realtime.Realtime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Serves the Pusher HTTP API ({@link PusherHttpApi}) on Jetty: a request that is not this app's, or
 * not signed with its secret, is refused from its path and query before a byte of its body is read
 * (and the connection closed when it has one), so an unauthenticated caller cannot make the server
 * buffer anything. Only then is the body read, against the limits.
 */
final class HttpApi {
    static final String PREFIX = PusherHttpApi.PREFIX;

    private final PusherHttpApi api;
    private final BodyReader.Limits bodyLimits;

    HttpApi(Realtime realtime, BodyReader.Limits bodyLimits, LongSupplier nowSeconds) {
        this.api = new PusherHttpApi(realtime, nowSeconds);
        this.bodyLimits = bodyLimits;
    }

    /** Handles a request whose path starts with {@code /apps/}. */
    void handle(Request request, Response response, Callback callback) {
        boolean unreadBody = Http.hasBody(request);
        PusherHttpApi.Call call;
        try {
            call = api.open(request.getMethod(), request.getHttpURI().getPath(), queryParameters(request));
        } catch (HttpError e) {
            Http.error(response, callback, new HttpError(e.status(), e.getMessage(), unreadBody));
            return;
        }
        PusherHttpApi.Answer refusal = call.refusal();
        if (refusal != null) {
            // the body stays unread: the connection cannot carry another request
            if (unreadBody) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            if (refusal.allow() != null) {
                response.getHeaders().put(HttpHeader.ALLOW, refusal.allow());
            }
            Http.json(response, callback, refusal.status(), refusal.body());
            return;
        }
        BodyReader.read(request, bodyLimits, (body, error) -> {
            if (error != null) {
                Http.error(response, callback, error);
                return;
            }
            PusherHttpApi.Answer answer = call.complete(body);
            Http.json(response, callback, answer.status(), answer.body());
        });
    }

    private static Map<String, String> queryParameters(Request request) {
        Fields fields;
        try {
            fields = Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            throw new HttpError(400, "the query string cannot be decoded: " + e.getMessage());
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Fields.Field f : fields) {
            params.put(f.getName(), f.getValue());
        }
        return params;
    }
}
