package dev.realtime.http;

import java.util.List;

/**
 * How one HTTP wire writes the node's frames: the SockJS-style chunks of pusher-js ({@link #XHR}), the
 * {@code data:} events of a {@code text/event-stream}, a JSON long-poll answer. Implementations are
 * stateless and thread-safe.
 */
public interface Framing {
    /** The pusher-js chunks: {@code o}, {@code a[...]}, {@code h}, {@code c[code,"reason"]}, each ending in a newline. */
    Framing XHR = new XhrFraming();
    /** The chunk that opens a pusher-js session ({@code o}); sent once per session, a second one makes the client drop it. */
    String XHR_OPEN = "o\n";

    /** The response's {@code Content-Type}. */
    String contentType();

    /** A batch of frames (each one JSON text), in order, as one piece of the response. */
    String batch(List<String> frames);

    /** What keeps an idle response alive (and tells a client the server is there). */
    String heartbeat();

    /** The last piece of a response whose session the node closed with {@code code} and {@code reason}. */
    String close(int code, String reason);
}
