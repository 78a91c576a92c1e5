package dev.realtime.server;

import dev.realtime.Realtime;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes the plain HTTP requests of the server: {@code /health}, the auth endpoints, the Pusher HTTP
 * API; anything else is a JSON 404. (WebSocket upgrades are taken before this handler.)
 */
final class ServerHandler extends Handler.Abstract {
    private final AuthEndpoints auth;
    private final HttpApi api;
    private final BooleanSupplier ready;

    ServerHandler(Realtime realtime, int maxBodyBytes, AuthCors cors, LongSupplier nowSeconds, BooleanSupplier ready) {
        this.auth = new AuthEndpoints(realtime, maxBodyBytes, cors);
        this.api = new HttpApi(realtime, maxBodyBytes, nowSeconds);
        this.ready = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        try {
            if (path.equals("/health")) {
                health(request, response, callback);
            } else if (AuthEndpoints.serves(path)) {
                auth.handle(request, response, callback);
            } else if (path.startsWith(HttpApi.PREFIX)) {
                api.handle(request, response, callback);
            } else {
                Http.error(response, callback, 404, "no such path: " + path);
            }
        } catch (RuntimeException e) {
            RealtimeServer.LOG.error("request {} {} failed", request.getMethod(), path, e);
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                Http.error(response, callback, 500, "internal error: " + e);
            }
        }
        return true;
    }

    private void health(Request request, Response response, Callback callback) {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            Http.methodNotAllowed(request, response, callback, "GET");
        } else if (ready.getAsBoolean()) {
            Http.json(response, callback, 200, "{\"status\":\"ok\"}");
        } else {
            Http.json(response, callback, 503, "{\"status\":\"unavailable\"}");
        }
    }
}
