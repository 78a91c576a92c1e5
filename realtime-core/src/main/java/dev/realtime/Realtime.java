package dev.realtime;

import java.util.List;
import java.util.Map;

/**
 * One node of the realtime service: owns the channels, the connections and presence. Build it with
 * {@link #builder()}; every method is thread-safe and none blocks on a slow client.
 */
public interface Realtime extends AutoCloseable {

    /** Starts building a node. */
    static RealtimeBuilder builder() {
        return new RealtimeBuilder();
    }

    /** Sends {@code event} to every subscriber of {@code channel}; data as in {@link Broadcast#data(Object)}. */
    default void broadcast(String channel, String event, Object data) {
        broadcast(Broadcast.to(channel).event(event).data(data));
    }

    /** Sends one event to several channels, optionally leaving out one socket. */
    void broadcast(Broadcast broadcast);

    /** Sends {@code event} to every connection signed in as {@code userId} (pusher-js: {@code pusher.user.bind}). */
    void sendToUser(String userId, String event, Object data);

    /** Sends a channel-less event to one connection; false when no such connection is on this node. */
    boolean send(String socketId, String event, Object data);

    /** The members of a presence channel, one entry per user, in join order. */
    List<Member> presence(String channel);

    /** What is known of one channel. */
    ChannelInfo channel(String name);

    /** The occupied channels whose names start with {@code prefix} ("" for all), by name. */
    Map<String, ChannelInfo> channels(String prefix);

    /** Closes every connection of the user (signed in as, or present as, {@code userId}) with 4009; returns how many. */
    int disconnectUser(String userId);

    /** The user behind an HTTP request, from the configured {@link Authenticator}; null when anonymous. */
    User authenticate(AuthRequest request);

    /** The body of a channel auth endpoint (PROTOCOL.md §3) for {@code user}, or a refusal. */
    AuthResponse authorizeChannel(String socketId, String channelName, User user);

    /** The body of a user sign-in endpoint (PROTOCOL.md §3, §6) for {@code user}, or a refusal. */
    AuthResponse authenticateUser(String socketId, User user);

    /** The app's credentials. */
    AppCredentials app();

    /** This node's name (in a cluster, unique among its nodes). */
    String nodeId();

    /** The limits in force. */
    Limits limits();

    /**
     * Starts a transport on this running node, as if it had been given to the builder: hosts such
     * as {@code RealtimeServer} use it to bring their own transport. It is stopped by {@link #close()}.
     */
    void addTransport(dev.realtime.spi.Transport transport);

    /**
     * Stops a transport and forgets it (a host that stops, such as {@code RealtimeServer.stop()}).
     * Connections it opened stay until they close; idempotent.
     */
    void removeTransport(dev.realtime.spi.Transport transport);

    /** The number of open connections on this node. */
    int connectionCount();

    /** This node's connection, channel and subscription counts and its broker's state; cheap enough for a metrics scrape. */
    NodeStats stats();

    /** Closes every connection and transport, stops the broker; idempotent. */
    @Override
    void close();
}
