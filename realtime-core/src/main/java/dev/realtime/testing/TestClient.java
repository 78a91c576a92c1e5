package dev.realtime.testing;

import dev.realtime.AuthResponse;
import dev.realtime.ChannelType;
import dev.realtime.Realtime;
import dev.realtime.User;
import dev.realtime.internal.Json;
import dev.realtime.spi.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A Pusher client in memory, for tests: it speaks the same frames as pusher-js through the same
 * protocol engine, authorizes its subscriptions the way pusher-js calls an auth endpoint (as its
 * {@link User}), answers {@code pusher:ping}, and keeps a presence member list as the client sees it.
 */
public final class TestClient implements AutoCloseable {
    /** How long the await methods wait by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Realtime realtime;
    private final User user;
    private final Object lock = new Object();
    private final List<ReceivedFrame> frames = new ArrayList<>();
    private final BitSet consumed = new BitSet();
    private final Map<String, Map<String, Object>> members = new LinkedHashMap<>();
    private final List<String> paused = new ArrayList<>();
    private InMemoryTransport.MemoryConnection connection;
    private Session session;
    private boolean readingPaused;
    private boolean autoPong = true;
    private volatile Integer closeCode;
    private volatile String closeReason;

    TestClient(Realtime realtime, User user) {
        this.realtime = realtime;
        this.user = user;
    }

    void attach(InMemoryTransport.MemoryConnection connection, Session session) {
        this.connection = connection;
        this.session = session;
        connection.session = session;
    }

    // ---- what the transport calls ----

    void accept(String raw) {
        ReceivedFrame frame = ReceivedFrame.parse(raw);
        boolean pong;
        synchronized (lock) {
            if (readingPaused) {
                paused.add(raw);
                return;
            }
            record(frame);
            pong = autoPong && "pusher:ping".equals(frame.event());
        }
        if (pong) {
            send("{\"event\":\"pusher:pong\",\"data\":{}}");
        }
    }

    private void record(ReceivedFrame frame) {
        frames.add(frame);
        trackPresence(frame);
        lock.notifyAll();
    }

    void closedByServer(int code, String reason) {
        synchronized (lock) {
            closeCode = code;
            closeReason = reason;
            lock.notifyAll();
        }
    }

    int pending() {
        synchronized (lock) {
            return paused.size();
        }
    }

    // ---- the client's actions ----

    /** The socket id the server gave, or null when the connection was refused. */
    public String socketId() {
        return session.socketId();
    }

    /** The user this client acts for, or null. */
    public User user() {
        return user;
    }

    /** Sends one raw text frame to the server, exactly as given. */
    public void send(String text) {
        if (!connection.isOpen()) {
            throw new IllegalStateException("connection is closed (" + closeCode + " " + closeReason + ")");
        }
        session.receive(text);
    }

    /**
     * Subscribes as pusher-js does (authorizing private and presence channels as this client's user)
     * and waits for the result; fails with the server's error when the subscription is refused.
     */
    public TestClient subscribe(String channel) {
        ReceivedFrame reply = trySubscribe(channel);
        if (!"pusher_internal:subscription_succeeded".equals(reply.event())) {
            throw new AssertionError("subscribing to " + channel + " failed: " + reply.raw());
        }
        return this;
    }

    /** Like {@link #subscribe} but returns the server's reply (success or {@code pusher:subscription_error}). */
    public ReceivedFrame trySubscribe(String channel) {
        StringBuilder data = new StringBuilder("{\"channel\":").append(Json.quote(channel));
        ChannelType type = ChannelType.of(channel);
        if (type.requiresAuth()) {
            AuthResponse auth = realtime.authorizeChannel(socketId(), channel, user);
            if (!auth.ok()) {
                throw new AssertionError("the auth endpoint refused " + channel + " for " + user + ": " + auth.status()
                        + " " + auth.body());
            }
            var body = Json.readOrNull(auth.body());
            data.append(",\"auth\":").append(Json.quote(body.get("auth").asText()));
            if (body.has("channel_data")) {
                data.append(",\"channel_data\":").append(Json.quote(body.get("channel_data").asText()));
            }
        } else {
            data.append(",\"auth\":\"\"");
        }
        int from = frameCount();
        send("{\"event\":\"pusher:subscribe\",\"data\":" + data.append('}') + "}");
        return awaitFrame(f -> channel.equals(f.channel()) && ("pusher_internal:subscription_succeeded".equals(f.event())
                || "pusher:subscription_error".equals(f.event())), from, DEFAULT_TIMEOUT, "subscription result of " + channel);
    }

    /** Unsubscribes (no reply is expected). */
    public void unsubscribe(String channel) {
        send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":" + Json.quote(channel) + "}}");
        synchronized (lock) {
            members.remove(channel);
        }
    }

    /** Sends a client event ({@code event} must start with {@code client-}); data is serialised with Jackson. */
    public void trigger(String channel, String event, Object data) {
        send("{\"event\":" + Json.quote(event) + ",\"channel\":" + Json.quote(channel) + ",\"data\":" + Json.write(data) + "}");
    }

    /** Signs in as this client's user (pusher-js {@code pusher.signin()}) and waits for {@code pusher:signin_success}. */
    public TestClient signin() {
        AuthResponse auth = realtime.authenticateUser(socketId(), user);
        if (!auth.ok()) {
            throw new AssertionError("the user auth endpoint refused " + user + ": " + auth.status() + " " + auth.body());
        }
        var body = Json.readOrNull(auth.body());
        int from = frameCount();
        send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":" + Json.quote(body.get("auth").asText())
                + ",\"user_data\":" + Json.quote(body.get("user_data").asText()) + "}}");
        ReceivedFrame reply = awaitFrame(f -> "pusher:signin_success".equals(f.event()) || "pusher:error".equals(f.event()),
                from, DEFAULT_TIMEOUT, "sign-in result");
        if (!"pusher:signin_success".equals(reply.event())) {
            throw new AssertionError("sign-in failed: " + reply.raw());
        }
        return this;
    }

    /** Whether to answer {@code pusher:ping} with {@code pusher:pong} (default true, as pusher-js does). */
    public TestClient autoPong(boolean enabled) {
        synchronized (lock) {
            autoPong = enabled;
        }
        return this;
    }

    /** Stops reading: frames pile up in the connection's outbound queue, as with a slow network peer. */
    public void pauseReading() {
        synchronized (lock) {
            readingPaused = true;
        }
    }

    /** Reads everything that piled up and goes on reading. */
    public void resumeReading() {
        synchronized (lock) {
            readingPaused = false;
            for (String raw : paused) {
                record(ReceivedFrame.parse(raw));
            }
            paused.clear();
        }
    }

    /**
     * The wire breaks (as a reset TCP connection would): the transport reports {@code cause} to the
     * node ({@code RealtimeListener.error} gets a {@code ConnectionFailedException}), then the
     * connection ends with 1006.
     */
    public void failWire(Throwable cause) {
        connection.fail(cause);
    }

    /** Closes from the client side. */
    @Override
    public void close() {
        connection.clientClose(1000, "client closed");
    }

    // ---- what the client saw ----

    /** Waits for the next not yet awaited {@code event} on {@code channel}, failing with what did arrive. */
    public ReceivedFrame awaitEvent(String channel, String event) {
        return awaitEvent(channel, event, DEFAULT_TIMEOUT);
    }

    /** As {@link #awaitEvent(String, String)} with a chosen timeout. */
    public ReceivedFrame awaitEvent(String channel, String event, Duration timeout) {
        return awaitFrame(f -> f.is(channel, event), 0, timeout, "'" + event + "' on " + channel);
    }

    /** Waits for an event sent to this client's user ({@code sendToUser}). */
    public ReceivedFrame awaitUserEvent(String event) {
        String channel = ChannelType.SERVER_TO_USER_PREFIX + (user == null ? "?" : user.id());
        return awaitFrame(f -> f.is(channel, event), 0, DEFAULT_TIMEOUT, "user event '" + event + "'");
    }

    /** Waits for the next not yet awaited {@code pusher:error}. */
    public ReceivedFrame awaitError() {
        return awaitFrame(f -> "pusher:error".equals(f.event()), 0, DEFAULT_TIMEOUT, "pusher:error");
    }

    /** Waits until the server closes the connection; returns the close code. */
    public int awaitClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (closeCode == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("connection still open after " + timeout + "; received:\n" + describe());
                }
                waitNanos(left);
            }
            return closeCode;
        }
    }

    /** Waits for the first frame at index ≥ {@code from} that matches and was not awaited before. */
    public ReceivedFrame awaitFrame(Predicate<ReceivedFrame> match, int from, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                for (int i = from; i < frames.size(); i++) {
                    if (!consumed.get(i) && match.test(frames.get(i))) {
                        consumed.set(i);
                        return frames.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms; received:\n" + describe());
                }
                waitNanos(left);
            }
        }
    }

    /** Whether an event arrived (awaited or not) on the channel. */
    public boolean received(String channel, String event) {
        synchronized (lock) {
            return frames.stream().anyMatch(f -> f.is(channel, event));
        }
    }

    /** Every frame received so far, in order. */
    public List<ReceivedFrame> frames() {
        synchronized (lock) {
            return List.copyOf(frames);
        }
    }

    /** The frames received on {@code channel}. */
    public List<ReceivedFrame> events(String channel) {
        synchronized (lock) {
            return frames.stream().filter(f -> channel.equals(f.channel())).toList();
        }
    }

    /** The number of frames received so far. */
    public int frameCount() {
        synchronized (lock) {
            return frames.size();
        }
    }

    /** The presence channel's members as this client sees them: user id to user info, in order. */
    public Map<String, Map<String, Object>> members(String channel) {
        synchronized (lock) {
            Map<String, Object> m = members.get(channel);
            Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
            if (m != null) {
                m.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> map ? castMap(map) : Map.of()));
            }
            return Collections.unmodifiableMap(copy);
        }
    }

    /** Whether the connection is open. */
    public boolean isOpen() {
        return connection.isOpen();
    }

    /** The code the server closed with, or null. */
    public Integer closeCode() {
        return closeCode;
    }

    /** The reason the server closed with, or null. */
    public String closeReason() {
        return closeReason;
    }

    private void trackPresence(ReceivedFrame f) {
        if (f.channel() == null || !f.channel().startsWith("presence-") || f.event() == null) {
            return;
        }
        switch (f.event()) {
            case "pusher_internal:subscription_succeeded" -> {
                Map<String, Object> presence = castMap((Map<?, ?>) f.dataMap().getOrDefault("presence", Map.of()));
                Map<String, Object> hash = castMap((Map<?, ?>) presence.getOrDefault("hash", Map.of()));
                members.put(f.channel(), new LinkedHashMap<>(hash));
            }
            case "pusher_internal:member_added" -> {
                Map<String, Object> d = f.dataMap();
                members.computeIfAbsent(f.channel(), k -> new LinkedHashMap<>())
                        .put(String.valueOf(d.get("user_id")), d.getOrDefault("user_info", Map.of()));
            }
            case "pusher_internal:member_removed" -> {
                Map<String, Object> m = members.get(f.channel());
                if (m != null) {
                    m.remove(String.valueOf(f.dataMap().get("user_id")));
                }
            }
            default -> { }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private String describe() {
        StringBuilder sb = new StringBuilder();
        for (ReceivedFrame f : frames) {
            sb.append("  ").append(f.raw()).append('\n');
        }
        if (closeCode != null) {
            sb.append("  (closed ").append(closeCode).append(' ').append(closeReason).append(")\n");
        }
        return sb.length() == 0 ? "  (nothing)\n" : sb.toString();
    }

    private void waitNanos(long nanos) {
        try {
            lock.wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
