package dev.realtime.internal;

import dev.realtime.Member;

/**
 * What {@link Channels} reports about its channels, the one way it talks back to the node: called
 * after the change, outside the channel's lock, on the thread that made it.
 */
interface ChannelEvents {
    /** The channel got its first local subscriber. */
    void occupied(String channel);

    /** The channel lost its last local subscriber. */
    void vacated(String channel);

    /** A user became a member of a presence channel (its first entry on any node). */
    void memberAdded(String channel, Member member);

    /** A user left a presence channel (its last entry on any node went). */
    void memberRemoved(String channel, Member member);
}
