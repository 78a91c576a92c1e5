package dev.realtime.sse;

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
 * A {@code text/event-stream} for {@code EventSource} and {@code curl -N}: {@code GET …/app/KEY/sse?channels=a,b}
 * opens a session subscribed to those channels (private and presence ones when the request's user may
 * read them) and streams every frame as an event. Its first event, named {@code session}, gives the
 * session's id and secret: frames go up by {@code POST …/app/KEY/sse/{id}} with header
 * {@code X-Realtime-Secret} (client events, more subscriptions). EventSource reconnects by itself
 * ({@code retry:}) with a new session; there is no history, so {@code Last-Event-ID} is not used.
 */
final class EventSourceStream implements HttpMode {
    static final String NAME = "sse";
    /** How long EventSource waits before it reconnects, in milliseconds. */
    static final int RETRY_MILLIS = 3000;
    private static final SseFraming FRAMING = new SseFraming();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean clientChosenSession() {
        return false;
    }

    @Override
    public void serve(HttpExchange exchange, HttpRoute route, HttpSessions sessions) {
        if (route.sessionId() != null) {
            exchange.setHeader("Allow", "POST");
            Answers.error(exchange, 405, "a session's URL takes frames by POST; GET …/app/KEY/sse opens a new stream");
            return;
        }
        if (!"GET".equals(exchange.method())) {
            exchange.setHeader("Allow", "GET");
            Answers.error(exchange, 405, "EventSource opens the stream with GET");
            return;
        }
        Realtime realtime = sessions.realtime();
        HttpSession session = realtime == null ? null : sessions.create(exchange, null);
        if (session == null) {
            if (realtime == null) {
                Answers.error(exchange, 503, "the realtime HTTP transport is not running");
            }
            return;
        }
        QuerySubscriptions subscriptions = QuerySubscriptions.open(exchange, session, realtime, route.appKey());
        if (subscriptions == null) {
            return;
        }
        Answers.streaming(exchange, FRAMING.contentType());
        String preamble = "retry: " + RETRY_MILLIS + "\n"
                + "event: session\ndata: {\"id\":" + JsonText.asciiString(session.id()) + ",\"secret\":"
                + JsonText.asciiString(session.secret()) + "}\n\n";
        session.stream(exchange, FRAMING, preamble, 0);
        subscriptions.subscribe(session);
    }
}
