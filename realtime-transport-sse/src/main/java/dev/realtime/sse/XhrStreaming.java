package dev.realtime.sse;

import dev.realtime.http.Answers;
import dev.realtime.http.Framing;
import dev.realtime.http.HttpExchange;
import dev.realtime.http.HttpMode;
import dev.realtime.http.HttpRoute;
import dev.realtime.http.HttpSession;
import dev.realtime.http.HttpSessions;

/**
 * pusher-js's {@code xhr_streaming}: {@code POST …/app/KEY/{server}/{session}/xhr_streaming} holds a
 * response of newline-terminated chunks ({@code o} once per session, then {@code a[...]} batches,
 * {@code h} heartbeats, {@code c[code,"reason"]} at the close). pusher-js reopens the stream on the same
 * session once it has read more than 256 KB; the stream stops writing right after passing that, so the
 * client has read every frame of it, and the next stream gets the frames that waited.
 */
final class XhrStreaming implements HttpMode {
    /** pusher-js's {@code MAX_BUFFER_LENGTH}: it reopens a stream whose text is longer (in UTF-16 units). */
    static final long MAX_STREAM_CHARS = 256 * 1024;

    @Override
    public String name() {
        return "xhr_streaming";
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
            // The client reopening its stream: no second "o" (pusher-js would drop the session).
            Answers.streaming(exchange, Framing.XHR.contentType());
            session.stream(exchange, Framing.XHR, "", MAX_STREAM_CHARS);
            return;
        }
        session = sessions.create(exchange, route.sessionId());
        if (session == null) {
            return;
        }
        Answers.streaming(exchange, Framing.XHR.contentType());
        session.stream(exchange, Framing.XHR, Framing.XHR_OPEN, MAX_STREAM_CHARS);
        // An unknown key or protocol is refused in-band (pusher:error, then c[4001,…]), as on a WebSocket.
        session.open(route.appKey(), exchange.query("protocol"));
    }
}
