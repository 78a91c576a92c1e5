package dev.realtime.http;

import dev.realtime.AuthRequest;
import java.util.function.Consumer;

/**
 * One HTTP request and its response as the session layer sees it, whatever the server: the Jetty core
 * handler and the Servlet adapter each implement it. Nothing here blocks: the body is read and the
 * response written asynchronously, so no thread is held while a stream or a poll waits.
 *
 * <p>Threading: the request side may be read from any thread. Writes are made one at a time (the
 * caller waits for a write's callback before the next one) from any thread; {@link #end} and
 * {@link #abort} may come from any thread and make the exchange finished; a finished exchange ignores
 * further calls (a write then fails its callback).
 */
public interface HttpExchange {
    /** The request method, upper case. */
    String method();

    /** The path below the mount point, e.g. {@code /app/KEY/123/abcd1234/xhr_streaming}. */
    String path();

    /** The first value of query parameter {@code name}, or null. */
    String query(String name);

    /** The first value of request header {@code name} (case-insensitive), or null. */
    String header(String name);

    /** The peer's address (the socket's remote address). */
    String remoteAddress();

    /** The request as the application's {@code Authenticator} reads it (headers, cookies, query parameters). */
    AuthRequest authRequest();

    /**
     * Reads the whole request body, at most {@code maxBytes}, and calls back exactly once on some
     * thread: with the bytes, or {@link BodyCallback#tooLarge()} as soon as the body passes the limit
     * (a larger {@code Content-Length} at once), or {@link BodyCallback#failed} when it cannot be read.
     */
    void readBody(int maxBytes, BodyCallback callback);

    /** Sets the status of a response not written yet. */
    void status(int status);

    /** Sets a header of a response not written yet (replacing one of that name). */
    void setHeader(String name, String value);

    /**
     * Writes {@code text} (UTF-8), committing the status and headers on the first write; {@code last}
     * ends the response once written. Completes {@code callback} exactly once, on any thread.
     */
    void write(String text, boolean last, WriteCallback callback);

    /** Ends the response after what was written (with an empty body if nothing was). */
    void end();

    /** Drops the response (the connection is closed without a proper end): for a wire that failed or timed out. */
    void abort(Throwable cause);

    /**
     * Runs {@code listener} once if the exchange fails while it is held: the client is found gone, the
     * server stops. Not run after {@link #end}.
     */
    void onGone(Consumer<Throwable> listener);

    /** What {@link #readBody} answers. */
    interface BodyCallback {
        /** The whole body. */
        void body(byte[] bytes);

        /** The body is larger than allowed; nothing more of it is read. */
        void tooLarge();

        /** The body could not be read (the client went away, a timeout). */
        void failed(Throwable cause);
    }

    /** What {@link #write} answers. */
    interface WriteCallback {
        /** The text was handed to the network. */
        void succeeded();

        /** The write failed: the client is gone. */
        void failed(Throwable cause);
    }
}
