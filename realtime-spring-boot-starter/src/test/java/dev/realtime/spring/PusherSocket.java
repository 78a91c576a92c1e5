package dev.realtime.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Pusher protocol 7 WebSocket connection to the application, on the JDK's WebSocket client: frames as
 * they arrive, and the close code. Fails a wait with every frame that did arrive.
 */
public final class PusherSocket implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> frames = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private final String socketId;

    private PusherSocket(int port, String key) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/app/" + key + "?protocol=7&client=java&version=test"),
                        new Listener())
                .get(10, TimeUnit.SECONDS);
        JsonNode established = await(f -> f.path("event").asText().equals("pusher:connection_established"), "connection_established");
        socketId = JSON.readTree(established.path("data").asText()).path("socket_id").asText();
    }

    /** Connects and waits for connection_established. */
    public static PusherSocket connect(int port, String key) throws Exception {
        return new PusherSocket(port, key);
    }

    public String socketId() {
        return socketId;
    }

    /** Sends {@code {"event":"pusher:subscribe","data":{"channel":…,"auth":…}}} (auth may be null). */
    public void subscribe(String channel, String auth) throws Exception {
        String data = auth == null ? JSON.writeValueAsString(java.util.Map.of("channel", channel))
                : JSON.writeValueAsString(java.util.Map.of("channel", channel, "auth", auth));
        socket.sendText("{\"event\":\"pusher:subscribe\",\"data\":" + data + "}", true).get(5, TimeUnit.SECONDS);
    }

    /** The first frame (since the connection opened) with this event on this channel. */
    public JsonNode awaitEvent(String channel, String event) {
        return await(f -> f.path("event").asText().equals(event) && f.path("channel").asText().equals(channel),
                event + " on " + channel);
    }

    /** The close code the server sent. */
    public int awaitClose() throws Exception {
        try {
            return closed.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no close within 10 s; frames: " + frames());
        }
    }

    public synchronized List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    private JsonNode await(Predicate<JsonNode> match, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        synchronized (this) {
            while (true) {
                for (JsonNode f : frames) {
                    if (match.test(f)) {
                        return f;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within 10 s; frames: " + frames
                            + (closed.isDone() ? ", closed with " + closed.getNow(null) : ""));
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what);
                }
            }
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode frame = JSON.readTree(partial.toString());
                    synchronized (PusherSocket.this) {
                        frames.add(frame);
                        PusherSocket.this.notifyAll();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("not JSON: " + partial, e);
                } finally {
                    partial.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            synchronized (PusherSocket.this) {
                PusherSocket.this.notifyAll();
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
