package dev.realtime.http;

/** The plain answers of the HTTP transports: JSON errors and empty successes. */
public final class Answers {
    private Answers() {
    }

    /** A JSON error {@code {"error":"…"}} with {@code status}, ending the exchange. */
    public static void error(HttpExchange exchange, int status, String message) {
        json(exchange, status, "{\"error\":" + JsonText.asciiString(message) + "}");
    }

    /** A JSON body with {@code status}, ending the exchange. */
    public static void json(HttpExchange exchange, int status, String body) {
        exchange.status(status);
        exchange.setHeader("Content-Type", "application/json; charset=UTF-8");
        exchange.setHeader("Cache-Control", "no-store");
        exchange.write(body, true, IGNORE);
    }

    /** A whole answer with {@code status} and {@code contentType}, ending the exchange. */
    public static void text(HttpExchange exchange, int status, String contentType, String body) {
        exchange.status(status);
        exchange.setHeader("Content-Type", contentType);
        exchange.setHeader("Cache-Control", "no-store");
        exchange.write(body, true, IGNORE);
    }

    /** 204 No Content, ending the exchange. */
    public static void noContent(HttpExchange exchange) {
        exchange.status(204);
        exchange.end();
    }

    /** Sets the headers of a response that stays open (a stream, a held poll): not cached, not buffered by proxies. */
    public static void streaming(HttpExchange exchange, String contentType) {
        exchange.status(200);
        exchange.setHeader("Content-Type", contentType);
        exchange.setHeader("Cache-Control", "no-store, no-transform");
        exchange.setHeader("X-Accel-Buffering", "no");
    }

    /** A write callback for answers whose outcome changes nothing (the exchange ends either way). */
    static final HttpExchange.WriteCallback IGNORE = new HttpExchange.WriteCallback() {
        @Override
        public void succeeded() {
        }

        @Override
        public void failed(Throwable cause) {
        }
    };
}
