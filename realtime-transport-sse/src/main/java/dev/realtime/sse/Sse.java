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

    /**
     * A {@code text/event-stream} at {@code GET …/app/KEY/sse?channels=a,b}, for EventSource and
     * {@code curl -N}; frames go up by {@code POST …/app/KEY/sse/{id}} with the session's secret.
     */
    public static HttpMode eventSource() {
        return new EventSourceStream();
    }

    /** Both modes of this module. */
    public static HttpMode[] all() {
        return new HttpMode[] {xhrStreaming(), eventSource()};
    }
}
