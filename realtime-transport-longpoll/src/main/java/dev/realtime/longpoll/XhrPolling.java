package dev.realtime.longpoll;

import dev.realtime.http.Answers;
import dev.realtime.http.Framing;
import dev.realtime.http.HttpExchange;
import dev.realtime.http.HttpMode;
import dev.realtime.http.HttpRoute;
import dev.realtime.http.HttpSession;
import dev.realtime.http.HttpSessions;

/**
 * pusher-js's {@code xhr_polling}: {@code POST …/app/KEY/{server}/{session}/xhr} answers one chunk per
 * response: {@code o} to the request that opens the session, then the next batch {@code a[...]} (at
 * once when frames wait), or {@code c[code,"reason"]} at the close, or {@code h} when nothing came
 * within the poll timeout. On a 200 pusher-js polls again at once.
 */
final class XhrPolling implements HttpMode {
    @Override
    public String name() {
        return "xhr";
    }

    @Override
    public boolean clientChosenSession() {
        return true;
    }

    @Override
    public void serve(HttpExchange exchange, HttpRoute route, HttpSessions sessions) {
        HttpSession session = sessions.find(route.sessionId());
        if (session != null) {
            if (!session.ownedBy(exchange.remoteAddress())) {
                Answers.error(exchange, 409, "session " + route.sessionId() + " is in use by another client");
                return;
            }
            Answers.streaming(exchange, Framing.XHR.contentType());
            session.poll(exchange, Framing.XHR);
            return;
        }
        session = sessions.create(exchange, route.sessionId());
        if (session == null) {
            return;
        }
        Answers.text(exchange, 200, Framing.XHR.contentType(), Framing.XHR_OPEN);
        // connection_established (or the refusal of an unknown key, in-band) waits for the next poll.
        session.open(route.appKey(), exchange.query("protocol"));
    }
}
