package dev.realtime.internal;

import dev.realtime.Member;

/**
 * The node's answer to what its channels report: broker subscriptions follow the channels that
 * gained or lost their local subscribers; counts go to the cluster-wide {@link Occupancy} (which
 * tells the listeners about occupied and vacated channels); this node's presence entries go to the
 * other nodes through the {@link ClusterSync} (null on a single node); membership changes reach the
 * listeners.
 */
final class NodeEvents implements ChannelEvents {
    private final ListenerDispatcher dispatcher;
    private final UserRegistry.Interest interest;
    private final Occupancy occupancy;
    private volatile ClusterSync sync;

    NodeEvents(ListenerDispatcher dispatcher, UserRegistry.Interest interest, Occupancy occupancy) {
        this.dispatcher = dispatcher;
        this.interest = interest;
        this.occupancy = occupancy;
    }

    /** From now on this node's presence entries are replicated through {@code sync}. */
    void replicateThrough(ClusterSync sync) {
        this.sync = sync;
    }

    @Override
    public void subscriptions(String channel, int localCount) {
        occupancy.local(channel, localCount);
    }

    @Override
    public void localEntryAdded(String channel, Member member, String userInfoJson, String socketId) {
        ClusterSync s = sync;
        if (s != null) {
            s.localEntryAdded(channel, member, userInfoJson, socketId);
        }
    }

    @Override
    public void localEntryRemoved(String channel, String userId, String socketId) {
        ClusterSync s = sync;
        if (s != null) {
            s.localEntryRemoved(channel, userId, socketId);
        }
    }

    @Override
    public void occupied(String channel) {
        interest.changed(Topics.channel(channel));
    }

    @Override
    public void vacated(String channel) {
        interest.changed(Topics.channel(channel));
    }

    @Override
    public void memberAdded(String channel, Member member) {
        dispatcher.fire(l -> l.memberAdded(channel, member));
    }

    @Override
    public void memberRemoved(String channel, Member member) {
        dispatcher.fire(l -> l.memberRemoved(channel, member));
    }
}
