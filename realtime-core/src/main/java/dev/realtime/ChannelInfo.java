package dev.realtime;

/**
 * What is known of a channel on this node.
 *
 * @param name              the channel name
 * @param occupied          whether it has at least one subscriber
 * @param subscriptionCount the number of subscribed connections
 * @param userCount         the number of distinct members (presence channels; 0 otherwise)
 */
public record ChannelInfo(String name, boolean occupied, int subscriptionCount, int userCount) {
}
