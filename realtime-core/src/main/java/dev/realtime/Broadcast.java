package dev.realtime;

import java.util.List;
import java.util.Objects;

/**
 * One event for one or more channels: {@code Broadcast.to("a", "b").event("x").data(obj).except(socketId)}.
 * A {@code String} data is sent as is (Pusher semantics: the HTTP API's data is already a string);
 * anything else is serialised to JSON with Jackson, once per broadcast.
 */
public final class Broadcast {
    private final List<String> channels;
    private String event;
    private Object data;
    private String exceptSocketId;

    private Broadcast(List<String> channels) {
        this.channels = channels;
    }

    /** A broadcast to the given channels (at most {@link Limits#maxBroadcastChannels()}). */
    public static Broadcast to(String... channels) {
        return to(List.of(channels));
    }

    /** A broadcast to the given channels (at most {@link Limits#maxBroadcastChannels()}). */
    public static Broadcast to(List<String> channels) {
        Objects.requireNonNull(channels, "channels");
        return new Broadcast(List.copyOf(channels));
    }

    /** The event name. */
    public Broadcast event(String event) {
        this.event = event;
        return this;
    }

    /** The payload: a String is sent as is, anything else is serialised with Jackson. */
    public Broadcast data(Object data) {
        this.data = data;
        return this;
    }

    /** Leave out this socket (Laravel's {@code toOthers()}); null for nobody. */
    public Broadcast except(String socketId) {
        this.exceptSocketId = socketId;
        return this;
    }

    /** The target channels. */
    public List<String> channels() { return channels; }

    /** The event name. */
    public String event() { return event; }

    /** The payload as given. */
    public Object data() { return data; }

    /** The socket left out, or null. */
    public String exceptSocketId() { return exceptSocketId; }
}
