package dev.realtime.internal;

import dev.realtime.Member;

/**
 * What {@link Channels} reports about its channels, the one way it talks back to the node. Called on
 * the thread that made the change: {@link #subscriptions} and {@link #localEntryAdded} under the
 * channel's lock (counts arrive in order; an entry is published before its client is told it
 * subscribed), the others after the change, outside it. None may block.
 */
interface ChannelEvents {
    /** The channel now has {@code localCount} local subscribers. */
    void subscriptions(String channel, int localCount);

    /** A local connection's presence entry was added (the cluster tells the other nodes). */
    void localEntryAdded(String channel, Member member, String userInfoJson, String socketId);

    /** A local connection's presence entry was removed. */
    void localEntryRemoved(String channel, String userId, String socketId);

    /** The channel got its first local subscriber (the node's interest in its topic changes). */
    void occupied(String channel);

    /** The channel lost its last local subscriber. */
    void vacated(String channel);

    /** A user became a member of a presence channel (its first entry on any node). */
    void memberAdded(String channel, Member member);

    /** A user left a presence channel (its last entry on any node went). */
    void memberRemoved(String channel, Member member);
}
