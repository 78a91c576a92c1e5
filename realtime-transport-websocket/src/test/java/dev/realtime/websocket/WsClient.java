package dev.realtime.websocket;

import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test client on the JDK's {@link java.net.http.WebSocket}: records every text message and the close. */
final class WsClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final WebSocket socket;
    private final java.util.concurrent.Semaphore pings = new java.util.concurrent.Semaphore(0);

    private WsClient(URI uri, String origin) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
        if (origin != null) {
            b.header("Origin", origin);
        }
        this.socket = b.buildAsync(uri, new Listener()).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    static WsClient connect(URI uri) {
        return new WsClient(uri, null);
    }

    static WsClient connect(URI uri, String origin) {
        return new WsClient(uri, origin);
    }

    void send(String text) {
        socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The next message that matches, skipping (but keeping in {@link #seen()}) the others; fails after the timeout. */
    String await(Predicate<String> match, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String m = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) {
                    return fail("no message with " + what + " within " + TIMEOUT + "; got " + seen
                            + (closeCode.isDone() ? ", closed " + closeCode.join() : ""));
                }
                seen.add(m);
                if (match.test(m)) {
                    return m;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message with this event name. */
    String awaitEvent(String event) {
        return await(m -> m.contains("\"event\":\"" + event + "\""), "event " + event);
    }

    /** Waits for {@code pusher:connection_established} and returns the socket id. */
    String awaitEstablished() {
        String m = awaitEvent("pusher:connection_established");
        int i = m.indexOf("socket_id\\\":\\\"") + "socket_id\\\":\\\"".length();
        return m.substring(i, m.indexOf("\\\"", i));
    }

    void subscribe(String channel) {
        send("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"" + channel + "\"}}");
        await(m -> m.contains("subscription_succeeded") && m.contains("\"" + channel + "\""), "subscription_succeeded for " + channel);
    }

    /** The close code the server sent, waiting for it. */
    int awaitClose() {
        try {
            return closeCode.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            return fail("not closed within " + TIMEOUT + "; got " + seen + " " + inbox);
        }
    }

    /** Waits until the server has sent {@code n} ping frames (each answered by the JDK with a pong). */
    void awaitPings(int n) {
        try {
            if (!pings.tryAcquire(n, TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("fewer than " + n + " pings within " + TIMEOUT + (closeCode.isDone() ? "; closed " + closeCode.join() : ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    List<String> seen() {
        return seen;
    }

    boolean isOpen() {
        return !socket.isInputClosed() && !closeCode.isDone();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                inbox.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.release();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason.complete(reason);
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeReason.complete(String.valueOf(error));
            closeCode.complete(1006);
        }
    }
}
