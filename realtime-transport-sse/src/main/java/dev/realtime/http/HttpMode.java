package dev.realtime.http;

/**
 * One way of receiving a session's frames over HTTP, served by {@link HttpTransport}: pusher-js's
 * {@code xhr_streaming} and {@code text/event-stream} (realtime-transport-sse), {@code xhr_polling}
 * and the JSON long-poll (realtime-transport-longpoll). A mode answers the requests routed to its name;
 * the transport does the rest (routing, CORS, the session registry, {@code xhr_send} and the other
 * upstream POSTs). For transport modules: applications pick modes, they don't write them.
 *
 * <p>Threading: {@link #serve} is called on the server's request thread and must not block.
 */
public interface HttpMode {
    /** The path segment this mode answers, e.g. {@code xhr_streaming}. */
    String name();

    /**
     * Whether the client chooses the session path, as pusher-js does ({@code /app/KEY/{server}/{session}/NAME},
     * frames up through {@code xhr_send}); otherwise the server issues the session
     * ({@code /app/KEY/NAME} opens one, {@code /app/KEY/NAME/{id}} is its URL, frames go up by POST to it
     * with the session's secret).
     */
    boolean clientChosenSession();

    /**
     * Answers one request: for a client-chosen session, the receiving request (the session may be new);
     * for a server-issued one, the request that opens a session ({@code route.sessionId()} null) or any
     * request on an existing session but a POST (which carries frames up and is the transport's).
     */
    void serve(HttpExchange exchange, HttpRoute route, HttpSessions sessions);
}
