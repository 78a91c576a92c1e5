package dev.realtime;

/**
 * What this node holds now, for health checks and metrics ({@link Realtime#stats()}).
 *
 * @param connections     the open connections on this node
 * @param channels        the channels with at least one subscriber on this node
 * @param subscriptions   the subscriptions of this node's connections (one per connection and channel)
 * @param clustered       whether the node has a broker
 * @param brokerConnected whether the broker connection is up (true for a single node)
 */
public record NodeStats(int connections, int channels, long subscriptions, boolean clustered, boolean brokerConnected) {
}
