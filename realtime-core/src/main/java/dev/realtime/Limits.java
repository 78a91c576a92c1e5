package dev.realtime;

/**
 * Every limit the server enforces, each with a default ({@code DEFAULT_*}) and a builder setting.
 * A breach gets the documented error (see README, "Limits and errors") and nothing else breaks.
 */
public final class Limits {
    /** Max bytes of one event's {@code data}: client events, broadcasts, HTTP API events. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 10 * 1024;
    /** Max bytes of one inbound frame; transports close larger frames at the wire (WebSocket 1009). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    /** Max channel name length (Pusher's docs say 164, soketi and pusher-http-go 200). */
    public static final int DEFAULT_MAX_CHANNEL_NAME_LENGTH = 200;
    /** Max event name length. */
    public static final int DEFAULT_MAX_EVENT_NAME_LENGTH = 200;
    /** Max channels one connection may be subscribed to at once. */
    public static final int DEFAULT_MAX_CHANNELS_PER_CONNECTION = 100;
    /** Client events a connection may send per second (a token bucket of this size). */
    public static final int DEFAULT_CLIENT_EVENTS_PER_SECOND = 10;
    /** Max distinct members of one presence channel. */
    public static final int DEFAULT_MAX_PRESENCE_MEMBERS = 100;
    /** Max bytes of a presence member's {@code user_info}. */
    public static final int DEFAULT_MAX_USER_INFO_BYTES = 1024;
    /** Max length of a user id. */
    public static final int DEFAULT_MAX_USER_ID_LENGTH = 128;
    /** Max connections signed in as one user. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 50;
    /** Max connections from one remote address; unlimited by default because proxies and NAT share addresses. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = Integer.MAX_VALUE;
    /** Max channels one broadcast may name. */
    public static final int DEFAULT_MAX_BROADCAST_CHANNELS = 100;
    /** Max events in one HTTP API batch. */
    public static final int DEFAULT_MAX_BATCH_EVENTS = 10;
    /** Frames waiting for one connection before it counts as a slow consumer and is closed (4100). */
    public static final int DEFAULT_OUTBOUND_QUEUE_FRAMES = 1000;

    /**
     * Inbound frames one connection may send per second (a token bucket of this size); past it frames
     * are dropped, and the sender is told so with one {@code pusher:error} 4301 per second at most, so
     * that a flood cannot fill the connection's own outbound queue with replies.
     */
    public static final int DEFAULT_INBOUND_MESSAGES_PER_SECOND = 200;

    private static final Limits DEFAULTS = builder().build();

    private final int maxPayloadBytes;
    private final int maxMessageBytes;
    private final int maxChannelNameLength;
    private final int maxEventNameLength;
    private final int maxChannelsPerConnection;
    private final int clientEventsPerSecond;
    private final int maxPresenceMembers;
    private final int maxUserInfoBytes;
    private final int maxUserIdLength;
    private final int maxConnectionsPerUser;
    private final int maxConnectionsPerIp;
    private final int maxBroadcastChannels;
    private final int maxBatchEvents;
    private final int outboundQueueFrames;
    private final int inboundMessagesPerSecond;

    private Limits(Builder b) {
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.maxMessageBytes = b.maxMessageBytes;
        this.maxChannelNameLength = b.maxChannelNameLength;
        this.maxEventNameLength = b.maxEventNameLength;
        this.maxChannelsPerConnection = b.maxChannelsPerConnection;
        this.clientEventsPerSecond = b.clientEventsPerSecond;
        this.maxPresenceMembers = b.maxPresenceMembers;
        this.maxUserInfoBytes = b.maxUserInfoBytes;
        this.maxUserIdLength = b.maxUserIdLength;
        this.maxConnectionsPerUser = b.maxConnectionsPerUser;
        this.maxConnectionsPerIp = b.maxConnectionsPerIp;
        this.maxBroadcastChannels = b.maxBroadcastChannels;
        this.maxBatchEvents = b.maxBatchEvents;
        this.outboundQueueFrames = b.outboundQueueFrames;
        this.inboundMessagesPerSecond = b.inboundMessagesPerSecond;
    }

    /** The defaults. */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The limit described at {@link #DEFAULT_MAX_PAYLOAD_BYTES}. */
    public int maxPayloadBytes() { return maxPayloadBytes; }
    /** The limit described at {@link #DEFAULT_MAX_MESSAGE_BYTES}. */
    public int maxMessageBytes() { return maxMessageBytes; }
    /** The limit described at {@link #DEFAULT_MAX_CHANNEL_NAME_LENGTH}. */
    public int maxChannelNameLength() { return maxChannelNameLength; }
    /** The limit described at {@link #DEFAULT_MAX_EVENT_NAME_LENGTH}. */
    public int maxEventNameLength() { return maxEventNameLength; }
    /** The limit described at {@link #DEFAULT_MAX_CHANNELS_PER_CONNECTION}. */
    public int maxChannelsPerConnection() { return maxChannelsPerConnection; }
    /** The limit described at {@link #DEFAULT_CLIENT_EVENTS_PER_SECOND}. */
    public int clientEventsPerSecond() { return clientEventsPerSecond; }
    /** The limit described at {@link #DEFAULT_MAX_PRESENCE_MEMBERS}. */
    public int maxPresenceMembers() { return maxPresenceMembers; }
    /** The limit described at {@link #DEFAULT_MAX_USER_INFO_BYTES}. */
    public int maxUserInfoBytes() { return maxUserInfoBytes; }
    /** The limit described at {@link #DEFAULT_MAX_USER_ID_LENGTH}. */
    public int maxUserIdLength() { return maxUserIdLength; }
    /** The limit described at {@link #DEFAULT_MAX_CONNECTIONS_PER_USER}. */
    public int maxConnectionsPerUser() { return maxConnectionsPerUser; }
    /** The limit described at {@link #DEFAULT_MAX_CONNECTIONS_PER_IP}. */
    public int maxConnectionsPerIp() { return maxConnectionsPerIp; }
    /** The limit described at {@link #DEFAULT_MAX_BROADCAST_CHANNELS}. */
    public int maxBroadcastChannels() { return maxBroadcastChannels; }
    /** The limit described at {@link #DEFAULT_MAX_BATCH_EVENTS}. */
    public int maxBatchEvents() { return maxBatchEvents; }
    /** The limit described at {@link #DEFAULT_OUTBOUND_QUEUE_FRAMES}. */
    public int outboundQueueFrames() { return outboundQueueFrames; }
    /** The limit described at {@link #DEFAULT_INBOUND_MESSAGES_PER_SECOND}. */
    public int inboundMessagesPerSecond() { return inboundMessagesPerSecond; }

    /**
     * Why {@code name} is not a channel name a client may use within these limits (PROTOCOL.md §2:
     * {@code a-z A-Z 0-9 - _ = @ , . ;}, at most {@link #maxChannelNameLength()} characters), or null
     * when it is fine. For code that takes channel names from outside (an HTTP API, a form).
     */
    public String channelNameProblem(String name) {
        return dev.realtime.internal.ChannelNames.problem(name, maxChannelNameLength);
    }

    /** Why {@code event} is not a valid event name within these limits, or null when it is fine. */
    public String eventNameProblem(String event) {
        return dev.realtime.internal.ChannelNames.eventProblem(event, maxEventNameLength);
    }

    /** Whether {@code data} takes more than {@link #maxPayloadBytes()} bytes in UTF-8. */
    public boolean exceedsPayload(String data) {
        return dev.realtime.internal.Json.exceeds(data, maxPayloadBytes);
    }

    /** Builds {@link Limits}; every value must be positive. */
    public static final class Builder {
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxChannelNameLength = DEFAULT_MAX_CHANNEL_NAME_LENGTH;
        private int maxEventNameLength = DEFAULT_MAX_EVENT_NAME_LENGTH;
        private int maxChannelsPerConnection = DEFAULT_MAX_CHANNELS_PER_CONNECTION;
        private int clientEventsPerSecond = DEFAULT_CLIENT_EVENTS_PER_SECOND;
        private int maxPresenceMembers = DEFAULT_MAX_PRESENCE_MEMBERS;
        private int maxUserInfoBytes = DEFAULT_MAX_USER_INFO_BYTES;
        private int maxUserIdLength = DEFAULT_MAX_USER_ID_LENGTH;
        private int maxConnectionsPerUser = DEFAULT_MAX_CONNECTIONS_PER_USER;
        private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
        private int maxBroadcastChannels = DEFAULT_MAX_BROADCAST_CHANNELS;
        private int maxBatchEvents = DEFAULT_MAX_BATCH_EVENTS;
        private int outboundQueueFrames = DEFAULT_OUTBOUND_QUEUE_FRAMES;
        private int inboundMessagesPerSecond = DEFAULT_INBOUND_MESSAGES_PER_SECOND;

        private Builder() {
        }

        /** Sets the limit described at {@link #DEFAULT_MAX_PAYLOAD_BYTES}; must be positive. */
        public Builder maxPayloadBytes(int v) { maxPayloadBytes = positive("maxPayloadBytes", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_MAX_MESSAGE_BYTES}; must be positive. */
        public Builder maxMessageBytes(int v) { maxMessageBytes = positive("maxMessageBytes", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_MAX_CHANNEL_NAME_LENGTH}; must be positive. */
        public Builder maxChannelNameLength(int v) { maxChannelNameLength = positive("maxChannelNameLength", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_MAX_EVENT_NAME_LENGTH}; must be positive. */
        public Builder maxEventNameLength(int v) { maxEventNameLength = positive("maxEventNameLength", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_MAX_CHANNELS_PER_CONNECTION}; must be positive. */
        public Builder maxChannelsPerConnection(int v) { maxChannelsPerConnection = positive("maxChannelsPerConnection", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_CLIENT_EVENTS_PER_SECOND}; must be positive. */
        public Builder clientEventsPerSecond(int v) { clientEventsPerSecond = positive("clientEventsPerSecond", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_MAX_PRESENCE_MEMBERS}; must be positive. */
        public Builder maxPresenceMembers(int v) { maxPresenceMembers = positive("maxPresenceMembers", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_MAX_USER_INFO_BYTES}; must be positive. */
        public Builder maxUserInfoBytes(int v) { maxUserInfoBytes = positive("maxUserInfoBytes", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_MAX_USER_ID_LENGTH}; must be positive. */
        public Builder maxUserIdLength(int v) { maxUserIdLength = positive("maxUserIdLength", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_MAX_CONNECTIONS_PER_USER}; must be positive. */
        public Builder maxConnectionsPerUser(int v) { maxConnectionsPerUser = positive("maxConnectionsPerUser", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_MAX_CONNECTIONS_PER_IP}; must be positive. */
        public Builder maxConnectionsPerIp(int v) { maxConnectionsPerIp = positive("maxConnectionsPerIp", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_MAX_BROADCAST_CHANNELS}; must be positive. */
        public Builder maxBroadcastChannels(int v) { maxBroadcastChannels = positive("maxBroadcastChannels", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_MAX_BATCH_EVENTS}; must be positive. */
        public Builder maxBatchEvents(int v) { maxBatchEvents = positive("maxBatchEvents", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_OUTBOUND_QUEUE_FRAMES}; must be positive. */
        public Builder outboundQueueFrames(int v) { outboundQueueFrames = positive("outboundQueueFrames", v); return this; }
        /** Sets the limit described at {@link #DEFAULT_INBOUND_MESSAGES_PER_SECOND}; must be positive. */
        public Builder inboundMessagesPerSecond(int v) { inboundMessagesPerSecond = positive("inboundMessagesPerSecond", v); return this; }

        /** The limits; fails when the payload limit does not fit in a message. */
        public Limits build() {
            if (maxPayloadBytes > maxMessageBytes) {
                throw new IllegalArgumentException("maxPayloadBytes (" + maxPayloadBytes + ") must not exceed maxMessageBytes ("
                        + maxMessageBytes + "): raise maxMessageBytes or lower maxPayloadBytes");
            }
            return new Limits(this);
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
