package dev.realtime.longpoll;

import dev.realtime.http.HttpMode;

/**
 * The long-polling modes of {@link dev.realtime.http.HttpTransport}: pusher-js's {@code xhr_polling}
 * and a plain JSON long-poll for clients without pusher-js.
 * <pre>{@code
 * HttpTransport http = HttpTransport.builder().modes(LongPolling.xhrPolling(), LongPolling.json()).build();
 * }</pre>
 * How long a poll is held is the transport's {@code pollTimeout}.
 */
public final class LongPolling {
    private LongPolling() {
    }

    /** pusher-js's {@code xhr_polling} at {@code …/app/KEY/{server}/{session}/xhr}. */
    public static HttpMode xhrPolling() {
        return new XhrPolling();
    }

    /**
     * A plain JSON long-poll at {@code …/app/KEY/poll}: {@code POST ?channels=…} opens a session
     * ({@code {"session","secret"}}), {@code GET poll/ID} is held until frames come ({@code {"frames":[…]}}),
     * {@code POST poll/ID} sends frames; the secret goes in {@code X-Realtime-Secret}.
     */
    public static HttpMode json() {
        return new JsonPoll();
    }

    /** Both modes of this module. */
    public static HttpMode[] all() {
        return new HttpMode[] {xhrPolling(), json()};
    }
}
