package dev.realtime.sse;

import dev.realtime.http.HttpMode;

/**
 * The server-push modes of {@link dev.realtime.http.HttpTransport}: pusher-js's {@code xhr_streaming}
 * and a {@code text/event-stream} for {@code EventSource} and {@code curl -N}.
 * <pre>{@code
 * HttpTransport http = HttpTransport.builder().modes(Sse.xhrStreaming(), Sse.eventSource()).build();
 * }</pre>
 */
public final class Sse {
    private Sse() {
    }

    /** pusher-js's {@code xhr_streaming} at {@code …/app/KEY/{server}/{session}/xhr_streaming}. */
    public static HttpMode xhrStreaming() {
        return new XhrStreaming();
    }

    /** Both modes of this module. */
    public static HttpMode[] all() {
        return new HttpMode[] {xhrStreaming()};
    }
}
