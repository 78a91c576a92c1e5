package dev.realtime;

/**
 * Callbacks about what happens on this node. Every method has an empty default. They run one at a
 * time, in order, on the realtime event thread: never on a transport's I/O thread. An exception
 * thrown here is logged and does not stop later callbacks.
 */
public interface RealtimeListener {
    /** A connection was established (after {@code pusher:connection_established}). */
    default void connectionOpened(ConnectionInfo connection) {}

    /** A connection closed, for whatever reason. */
    default void connectionClosed(ConnectionInfo connection, int code, String reason) {}

    /** A channel got its first subscriber on this node. */
    default void channelOccupied(String channel) {}

    /** A channel lost its last subscriber on this node. */
    default void channelVacated(String channel) {}

    /** A user joined a presence channel (its first connection in it). */
    default void memberAdded(String channel, Member member) {}

    /** A user left a presence channel (its last connection in it). */
    default void memberRemoved(String channel, Member member) {}

    /** A client sent a {@code client-} event that was relayed. */
    default void clientEvent(ClientEvent event) {}

    /** A connection could not keep up with its outbound queue and was closed with 4100. */
    default void slowConsumer(ConnectionInfo connection) {}

    /** Something failed asynchronously: a broker, a transport, a user callback. */
    default void error(Throwable error) {}
}
