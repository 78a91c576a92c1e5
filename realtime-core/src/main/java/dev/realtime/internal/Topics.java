package dev.realtime.internal;

/**
 * The names of broker topics, made and read in this one place: {@code channel.{name}} carries a
 * channel's events, {@code user.{id}} a user's ({@code sendToUser}), {@code control} the nodes'
 * own traffic (presence, heartbeats, commands).
 */
final class Topics {
    static final String CONTROL = "control";
    private static final String CHANNEL = "channel.";
    private static final String USER = "user.";

    /** What a topic is about. */
    enum Kind { CHANNEL, USER, CONTROL }

    /** A parsed topic: its kind and the channel name or user id (null for control). */
    record Topic(Kind kind, String name) {
    }

    private Topics() {
    }

    static String channel(String name) {
        return CHANNEL + name;
    }

    static String user(String userId) {
        return USER + userId;
    }

    /** The topic's kind and subject, or null for a topic this node does not use. */
    static Topic parse(String topic) {
        if (topic.startsWith(CHANNEL)) {
            return new Topic(Kind.CHANNEL, topic.substring(CHANNEL.length()));
        }
        if (topic.startsWith(USER)) {
            return new Topic(Kind.USER, topic.substring(USER.length()));
        }
        return CONTROL.equals(topic) ? new Topic(Kind.CONTROL, null) : null;
    }
}
