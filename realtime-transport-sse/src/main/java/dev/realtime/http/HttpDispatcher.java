package dev.realtime.http;

import dev.realtime.Realtime;
import dev.realtime.spi.TransportContext;
import java.util.List;

/**
 * Routes the requests of the HTTP transports, whatever the server: the origin check and CORS, the
 * mode named by the path, and the frames going up ({@code xhr_send}, POSTs to server-issued sessions).
 * The Jetty handler and the servlet hand it every request below their mount point.
 */
final class HttpDispatcher {
    /** What an upstream POST answers when its frames were handed to the node. */
    private static final int ACCEPTED = 204;

    private final HttpTransport transport;
    private final HttpSessions sessions;
    private final HttpTransport.Settings settings;

    HttpDispatcher(HttpTransport transport, HttpSessions sessions, HttpTransport.Settings settings) {
        this.transport = transport;
        this.sessions = sessions;
        this.settings = settings;
    }

    /** Whether the path is one this dispatcher serves (else the request is someone else's). */
    boolean serves(String path) {
        return HttpRoute.parse(path) != null;
    }

    void handle(HttpExchange exchange) {
        HttpRoute route = HttpRoute.parse(exchange.path());
        if (route == null) {
            Answers.error(exchange, 404, "no such path: " + exchange.path());
            return;
        }
        if (!settings.origins.allows(exchange.header("Origin"))) {
            Answers.error(exchange, 403, "origin not allowed: " + exchange.header("Origin"));
            return;
        }
        if ("OPTIONS".equals(exchange.method())) {
            settings.origins.preflight(exchange);
            return;
        }
        settings.origins.addHeaders(exchange);
        if (route.clientChosen()) {
            clientChosen(exchange, route);
        } else {
            serverIssued(exchange, route);
        }
    }

    /** pusher-js: {@code /app/KEY/{server}/{session}/xhr_streaming|xhr|xhr_send}, all POST. */
    private void clientChosen(HttpExchange exchange, HttpRoute route) {
        boolean send = route.mode().equals("xhr_send");
        HttpMode mode = settings.modes.get(route.mode());
        if (!send && (mode == null || !mode.clientChosenSession())) {
            Answers.error(exchange, 404, "no such path: " + exchange.path() + " (modes served: " + settings.modes.keySet() + ")");
            return;
        }
        if (!"POST".equals(exchange.method())) {
            exchange.setHeader("Allow", "POST, OPTIONS");
            Answers.error(exchange, 405, exchange.method() + " is not allowed here: pusher-js sends POST");
            return;
        }
        if (send) {
            HttpSession session = sessions.find(route.sessionId());
            if (session == null || !session.ownedBy(exchange.remoteAddress())) {
                Answers.error(exchange, 404, "no such session: " + route.sessionId());
                return;
            }
            receive(exchange, session, true);
        } else {
            mode.serve(exchange, route, sessions);
        }
    }

    /** {@code /app/KEY/MODE} opens a session, {@code /app/KEY/MODE/ID} is its URL (POST: frames up). */
    private void serverIssued(HttpExchange exchange, HttpRoute route) {
        HttpMode mode = settings.modes.get(route.mode());
        if (mode == null || mode.clientChosenSession()) {
            Answers.error(exchange, 404, "no such path: " + exchange.path() + " (modes served: " + settings.modes.keySet() + ")");
            return;
        }
        TransportContext context = transport.context();
        if (context == null) {
            Answers.error(exchange, 503, "the realtime HTTP transport is not running");
            return;
        }
        Realtime realtime = context.realtime();
        if (!realtime.app().key().equals(route.appKey())) {
            Answers.error(exchange, 404, "unknown app key: " + route.appKey());
            return;
        }
        if (route.sessionId() != null && "POST".equals(exchange.method())) {
            HttpSession session = sessions.findIssued(exchange, route.sessionId());
            if (session == null) {
                Answers.error(exchange, 404, "no such session, or not yours: send the session's secret in "
                        + "X-Realtime-Secret (or ?secret=)");
                return;
            }
            receive(exchange, session, false);
            return;
        }
        mode.serve(exchange, route, sessions);
    }

    /** The secret a request to a server-issued session carries. */
    static String secret(HttpExchange exchange) {
        String header = exchange.header("X-Realtime-Secret");
        return header != null ? header : exchange.query("secret");
    }

    /** Reads an upstream body and hands its frames to the session, in order. */
    private void receive(HttpExchange exchange, HttpSession session, boolean xhrSend) {
        int max = maxSendBytes();
        exchange.readBody(max, new HttpExchange.BodyCallback() {
            @Override
            public void body(byte[] bytes) {
                List<String> frames;
                try {
                    frames = xhrSend ? UpstreamFrames.xhrSend(bytes) : UpstreamFrames.post(bytes);
                } catch (UpstreamFrames.Malformed e) {
                    Answers.error(exchange, 400, e.getMessage());
                    return;
                }
                session.receive(frames);
                exchange.status(ACCEPTED);
                exchange.end();
            }

            @Override
            public void tooLarge() {
                exchange.setHeader("Connection", "close");
                Answers.error(exchange, 413, "body larger than " + max + " bytes (HttpTransport maxSendBytes)");
            }

            @Override
            public void failed(Throwable cause) {
                exchange.abort(cause);
            }
        });
    }

    private int maxSendBytes() {
        if (settings.maxSendBytes > 0) {
            return settings.maxSendBytes;
        }
        TransportContext context = transport.context();
        int message = context == null ? dev.realtime.Limits.DEFAULT_MAX_MESSAGE_BYTES : context.limits().maxMessageBytes();
        return 2 * message + 64;
    }
}
