package dev.realtime.server;

import dev.realtime.Realtime;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes the plain HTTP requests of the server: {@code /health}, the auth endpoints, the Pusher HTTP
 * API; anything else is a JSON 404. (WebSocket upgrades are taken before this handler.) The auth
 * endpoints and the HTTP API, which read bodies and do work, count against the per-address cap of
 * requests in flight; past it a request gets 429 and its connection is closed.
 *
 * <p>Non-blocking, like every other handler of the server, so that Jetty runs a request on the I/O
 * thread that parsed it instead of handing it to a pool thread: a publish is a signature check and
 * queue offers, and the hand-off cost more than the publish. Nothing here may block; the auth
 * endpoints, which call the app's authenticator and authorizers, run those on the server's pool.
 */
final class ServerHandler extends Handler.Abstract.NonBlocking {
    private final AuthEndpoints auth;
    private final HttpApi api;
    private final InFlightLimit inFlight;
    private final BooleanSupplier ready;

    ServerHandler(Realtime realtime, HttpLimits limits, AuthCors cors, LongSupplier nowSeconds, BooleanSupplier ready) {
        this.auth = new AuthEndpoints(realtime, limits.authBody(), cors);
        this.api = new HttpApi(realtime, limits.apiBody(), nowSeconds);
        this.inFlight = new InFlightLimit(limits.maxInFlightRequestsPerIp());
        this.ready = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        boolean authPath = AuthEndpoints.serves(path);
        Callback done = callback;
        if (authPath || path.startsWith(HttpApi.PREFIX)) {
            String address = Request.getRemoteAddr(request);
            done = inFlight.acquire(address, callback);
            if (done == null) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                Http.error(response, callback, new HttpError(429, "too many requests in flight from " + address
                        + ": at most " + inFlight.max() + " at once (RealtimeServer maxInFlightRequestsPerIp)", true));
                return true;
            }
        }
        try {
            if (path.equals("/health")) {
                health(request, response, done);
            } else if (authPath) {
                auth.handle(request, response, done);
            } else if (path.startsWith(HttpApi.PREFIX)) {
                api.handle(request, response, done);
            } else {
                Http.error(response, done, new HttpError(404, "no such path: " + path, Http.hasBody(request)));
            }
        } catch (RuntimeException e) {
            RealtimeServer.LOG.error("request {} {} failed", request.getMethod(), path, e);
            if (response.isCommitted()) {
                done.failed(e);
            } else {
                Http.error(response, done, 500, "internal error: " + e);
            }
        }
        return true;
    }

    /** The in-flight counts; for tests. */
    InFlightLimit inFlight() {
        return inFlight;
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
