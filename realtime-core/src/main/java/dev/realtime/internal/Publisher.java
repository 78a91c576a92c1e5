package dev.realtime.internal;

/**
 * Sends ready frames where they go: a channel's local subscribers and, in a cluster, the other
 * nodes' (one envelope on the channel's topic); a user's connections here and on the other nodes.
 * Also what the broker delivers from other nodes comes in here, for local delivery only.
 */
final class Publisher implements ClusterBridge.LocalNode {
    private final Channels channels;
    private final UserRegistry users;
    private final ClusterBridge bridge;

    /** {@code bridge} is null on a single node. */
    Publisher(Channels channels, UserRegistry users, ClusterBridge bridge) {
        this.channels = channels;
        this.users = users;
        this.bridge = bridge;
    }

    /** Publishes a frame to the channel's subscribers on every node, except one socket (null: none). */
    void toChannel(String channel, String frame, String exceptSocketId) {
        channels.publishLocal(channel, frame, exceptSocketId);
        if (bridge != null) {
            bridge.publishEvent(channel, frame, exceptSocketId);
        }
    }

    /** Publishes a frame to every connection of the user, on every node. */
    void toUser(String userId, String frame) {
        deliverToUser(userId, frame);
        if (bridge != null) {
            bridge.publishUser(userId, frame);
        }
    }

    @Override
    public void deliverToChannel(String channel, String frame, String exceptSocketId) {
        channels.publishLocal(channel, frame, exceptSocketId);
    }

    @Override
    public void deliverToUser(String userId, String frame) {
        for (Connection c : users.connections(userId)) {
            c.deliver(frame);
        }
    }

    @Override
    public boolean wants(Topics.Topic topic) {
        return switch (topic.kind()) {
            case CHANNEL -> channels.isOccupied(topic.name());
            case USER -> users.has(topic.name());
            case CONTROL -> true;
        };
    }
}
