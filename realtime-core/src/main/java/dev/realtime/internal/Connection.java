package dev.realtime.internal;

import dev.realtime.ChannelType;
import dev.realtime.ConnectionInfo;
import dev.realtime.ErrorCodes;
import dev.realtime.Limits;
import dev.realtime.Member;
import dev.realtime.spi.Session;
import dev.realtime.spi.TransportConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection on this node: its transport, subscriptions, sign-in and rate limits. It owns
 * its locks: the calls of its {@link Session} are serialised here (a transport may make them from
 * any thread), and its subscriptions change under its own lock, never one taken from outside.
 * Deliveries come from any thread and take no lock of the connection's.
 */
final class Connection implements Session {
    /** What a connection tells the registry that owns it. */
    interface Owner {
        /** An inbound frame to interpret (the protocol). */
        void received(Connection c, String text);

        /** The connection's outbound queue is full. */
        void slowConsumer(Connection c);

        /** The connection is gone and has left its channels; runs once. */
        void closed(Connection c, int code, String reason);
    }

    private static final String NO_PRESENCE = "";
    private static final long ONE_SECOND = 1_000_000_000L;

    final TransportConnection transport;
    final String socketId;
    final String remoteAddress;
    private final Owner owner;
    private final Channels channels;
    private final Limits limits;
    /** Serialises the session calls (receive, activity, closed). */
    private final Object inbound = new Object();
    /** Guards the subscriptions' changes, the rate limits and the flood counters. */
    private final Object lock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean slow = new AtomicBoolean();
    /** Channel name to presence user id ("" when not a presence channel); changed under {@link #lock}, read from anywhere. */
    private final Map<String, String> subscriptions = new ConcurrentHashMap<>();
    private final TokenBucket clientEvents;
    private final TokenBucket inboundFrames;
    private long floodReplyAt;
    private int floodDropped;
    private volatile String userId;
    private volatile long lastActivity;
    private volatile long pingSentAt;

    Connection(Owner owner, Channels channels, Limits limits, TransportConnection transport, String socketId, long now) {
        this.owner = owner;
        this.channels = channels;
        this.limits = limits;
        this.transport = transport;
        this.socketId = socketId;
        this.remoteAddress = transport.remoteAddress();
        this.lastActivity = now;
        this.clientEvents = new TokenBucket(limits.clientEventsPerSecond(), now);
        this.inboundFrames = new TokenBucket(limits.inboundMessagesPerSecond(), now);
    }

    // ---- Session: from the transport, serialised here ----

    @Override
    public String socketId() {
        return socketId;
    }

    @Override
    public void receive(String text) {
        synchronized (inbound) {
            if (closed.get()) {
                return;
            }
            touch();
            owner.received(this, text);
        }
    }

    @Override
    public void activity() {
        synchronized (inbound) {
            touch();
        }
    }

    @Override
    public void closed(int code, String reason) {
        synchronized (inbound) {
            terminate(code, reason);
        }
    }

    private void touch() {
        lastActivity = System.nanoTime();
        if (pingSentAt != 0) {
            pingSentAt = 0;
        }
    }

    // ---- outbound, from any thread ----

    /** Queues a frame; a full queue marks this connection a slow consumer. */
    void deliver(String frame) {
        if (!transport.send(frame) && !closed.get()) {
            owner.slowConsumer(this);
        }
    }

    /** Closes the connection from the server side. */
    void close(int code, String reason) {
        // Forget the connection first: a transport may report the wire's close synchronously, and
        // the node's own code (not the wire's 1006) is what listeners must see.
        if (terminate(code, reason)) {
            transport.close(code, reason);
        }
    }

    /** Marks the connection as a slow consumer; true only the first time. */
    boolean markSlow() {
        return slow.compareAndSet(false, true);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Removes every trace of the connection from the node; runs once. */
    private boolean terminate(int code, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        synchronized (lock) {
            for (Map.Entry<String, String> e : subscriptions.entrySet()) {
                String presenceUser = e.getValue();
                channels.unsubscribe(this, e.getKey(), presenceUser.isEmpty() ? null : presenceUser);
            }
            subscriptions.clear();
        }
        owner.closed(this, code, reason);
        return true;
    }

    /** Pings after {@code activityNanos} of silence, closes with 4201 after {@code pongNanos} more. */
    void checkActivity(long now, long activityNanos, long pongNanos) {
        long ping = pingSentAt;
        if (ping != 0) {
            if (now - ping > pongNanos) {
                close(ErrorCodes.PONG_TIMEOUT, "Pong reply not received");
            }
        } else if (now - lastActivity > activityNanos) {
            pingSentAt = now;
            if (!transport.ping()) {
                deliver(Frames.PING);
            }
        }
    }

    // ---- rate limits ----

    /**
     * Admits one inbound frame against {@code Limits.inboundMessagesPerSecond}: null when it may be
     * handled; otherwise it is dropped, and the result is the 4301 reply to send, or "" for none. One
     * reply a second at most: a reply per dropped frame would let a flood fill the sender's own
     * outbound queue and get it closed as a slow consumer.
     */
    String admitInbound(long now) {
        synchronized (lock) {
            if (inboundFrames.tryTake(now)) {
                return null;
            }
            floodDropped++;
            if (floodReplyAt != 0 && now - floodReplyAt < ONE_SECOND) {
                return "";
            }
            String reply = "too many messages: at most " + limits.inboundMessagesPerSecond() + " per second; "
                    + floodDropped + (floodDropped == 1 ? " message" : " messages")
                    + " dropped (more this second are dropped without a reply)";
            floodReplyAt = now;
            floodDropped = 0;
            return reply;
        }
    }

    /** Takes a token for one client event; false when over {@code Limits.clientEventsPerSecond}. */
    boolean tryClientEvent(long now) {
        synchronized (lock) {
            return clientEvents.tryTake(now);
        }
    }

    // ---- subscriptions ----

    /**
     * Subscribes to {@code channel} (already authorized) within the per-connection limit; null on
     * success (the success frame was sent), else the error frame to send.
     */
    String subscribe(String channel, ChannelType type, Member member, String userInfoJson) {
        synchronized (lock) {
            if (closed.get()) {
                return null;
            }
            if (!subscriptions.containsKey(channel) && subscriptions.size() >= limits.maxChannelsPerConnection()) {
                return Frames.subscriptionError(channel, "LimitReached", "a connection may subscribe to at most "
                        + limits.maxChannelsPerConnection() + " channels", 4100);
            }
            String previous = presenceUserId(channel);
            if (previous != null && member != null && !previous.equals(member.userId())) {
                return Frames.subscriptionError(channel, "AuthError", "already subscribed to " + channel
                        + " as user '" + previous + "'", 409);
            }
            // Recorded before the success frame goes out, so that whoever acts on that frame (disconnectUser,
            // a presence query) already finds the subscription; undone when the channel refuses it.
            String before = subscriptions.put(channel, member == null ? NO_PRESENCE : member.userId());
            String error = channels.subscribe(this, channel, type, member, userInfoJson);
            if (error != null) {
                if (before == null) {
                    subscriptions.remove(channel);
                } else {
                    subscriptions.put(channel, before);
                }
            }
            return error;
        }
    }

    /** Leaves {@code channel}; nothing when not subscribed. */
    void unsubscribe(String channel) {
        synchronized (lock) {
            String presenceUser = subscriptions.remove(channel);
            if (presenceUser != null) {
                channels.unsubscribe(this, channel, presenceUser.isEmpty() ? null : presenceUser);
            }
        }
    }

    boolean isSubscribed(String channel) {
        return subscriptions.containsKey(channel);
    }

    /** The presence user id this connection joined {@code channel} as, or null. */
    String presenceUserId(String channel) {
        String id = subscriptions.get(channel);
        return id == null || id.isEmpty() ? null : id;
    }

    // ---- sign-in ----

    String userId() {
        return userId;
    }

    void userId(String userId) {
        this.userId = userId;
    }

    ConnectionInfo info() {
        return new ConnectionInfo(socketId, userId, remoteAddress);
    }

    @Override
    public String toString() {
        return "connection " + socketId;
    }
}
