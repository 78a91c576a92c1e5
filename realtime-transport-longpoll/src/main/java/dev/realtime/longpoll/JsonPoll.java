package dev.realtime.longpoll;

import dev.realtime.Realtime;
import dev.realtime.http.Answers;
import dev.realtime.http.HttpExchange;
import dev.realtime.http.HttpMode;
import dev.realtime.http.HttpRoute;
import dev.realtime.http.HttpSession;
import dev.realtime.http.HttpSessions;
import dev.realtime.http.JsonText;
import dev.realtime.http.QuerySubscriptions;

/**
 * A plain JSON long-poll for clients without pusher-js (curl, scripts, embedded devices):
 * <ul>
 * <li>{@code POST …/app/KEY/poll?channels=a,b} opens a session subscribed to those channels (private and
 *     presence ones when the request's user may read them) and answers {@code {"session":ID,"secret":S}};
 * <li>{@code GET …/app/KEY/poll/ID} with header {@code X-Realtime-Secret: S} (or {@code ?secret=S}) is held
 *     until frames come, then answers {@code {"frames":[…]}} ({@code {"frames":[]}} after the poll timeout,
 *     a {@code "close"} member when the session ends);
 * <li>{@code POST …/app/KEY/poll/ID} with the secret sends frames up (one frame object or an array).
 * </ul>
 * A session that is not polled for the session timeout is closed.
 */
final class JsonPoll implements HttpMode {
    private static final JsonFraming FRAMING = new JsonFraming();

    @Override
    public String name() {
        return "poll";
    }

    @Override
    public boolean clientChosenSession() {
        return false;
    }

    @Override
    public void serve(HttpExchange exchange, HttpRoute route, HttpSessions sessions) {
        if (route.sessionId() == null) {
            open(exchange, route, sessions);
            return;
        }
        if (!"GET".equals(exchange.method())) {
            exchange.setHeader("Allow", "GET, POST");
            Answers.error(exchange, 405, "GET polls the session, POST sends frames to it");
            return;
        }
        HttpSession session = sessions.findIssued(exchange, route.sessionId());
        if (session == null) {
            Answers.error(exchange, 404, "no such session, or not yours: send the session's secret in "
                    + "X-Realtime-Secret (or ?secret=)");
            return;
        }
        Answers.streaming(exchange, FRAMING.contentType());
        session.poll(exchange, FRAMING);
    }

    private void open(HttpExchange exchange, HttpRoute route, HttpSessions sessions) {
        if (!"POST".equals(exchange.method())) {
            exchange.setHeader("Allow", "POST");
            Answers.error(exchange, 405, "POST …/app/KEY/poll?channels=… opens a session");
            return;
        }
        Realtime realtime = sessions.realtime();
        if (realtime == null) {
            Answers.error(exchange, 503, "the realtime HTTP transport is not running");
            return;
        }
        HttpSession session = sessions.create(exchange, null);
        if (session == null) {
            return;
        }
        QuerySubscriptions subscriptions = QuerySubscriptions.open(exchange, session, realtime, route.appKey());
        if (subscriptions == null) {
            return;
        }
        Answers.json(exchange, 200, "{\"session\":" + JsonText.asciiString(session.id()) + ",\"secret\":"
                + JsonText.asciiString(session.secret()) + "}\n");
        subscriptions.subscribe(session);
    }
}
