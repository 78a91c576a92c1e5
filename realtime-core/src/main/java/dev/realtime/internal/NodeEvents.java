package dev.realtime.internal;

import dev.realtime.Member;

/**
 * The node's answer to what its channels report: the listeners hear about it, and the broker
 * subscriptions follow the channels that gained or lost their local subscribers.
 */
final class NodeEvents implements ChannelEvents {
    private final ListenerDispatcher dispatcher;
    private final UserRegistry.Interest interest;

    NodeEvents(ListenerDispatcher dispatcher, UserRegistry.Interest interest) {
        this.dispatcher = dispatcher;
        this.interest = interest;
    }

    @Override
    public void occupied(String channel) {
        interest.changed(Topics.channel(channel));
        dispatcher.fire(l -> l.channelOccupied(channel));
    }

    @Override
    public void vacated(String channel) {
        interest.changed(Topics.channel(channel));
        dispatcher.fire(l -> l.channelVacated(channel));
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
