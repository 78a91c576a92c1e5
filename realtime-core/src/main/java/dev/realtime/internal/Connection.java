package dev.realtime.internal;

import dev.realtime.ConnectionInfo;
import dev.realtime.spi.Session;
import dev.realtime.spi.TransportConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection on this node: its transport, subscriptions, sign-in and rate limits.
 * Inbound frames arrive on the transport's thread (one at a time); deliveries come from any thread.
 */
final class Connection implements Session {
    private static final String NO_PRESENCE = "";

    final Engine engine;
    final TransportConnection transport;
    final String socketId;
    final String remoteAddress;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean slow = new AtomicBoolean();
    /** Channel name to presence user id ("" when not a presence channel). Written under this monitor. */
    private final Map<String, String> subscriptions = new ConcurrentHashMap<>();
    private volatile String userId;
    private volatile long lastActivity;
    private volatile long pingSentAt;
    final TokenBucket clientEvents;
    final TokenBucket inbound;
    /** When the last flood-guard error was sent (nanos; 0: never), and how many frames were dropped since. */
    long floodReplyAt;
    int floodDropped;

    Connection(Engine engine, TransportConnection transport, String socketId, long now) {
        this.engine = engine;
        this.transport = transport;
        this.socketId = socketId;
        this.remoteAddress = transport.remoteAddress();
        this.lastActivity = now;
        this.clientEvents = new TokenBucket(engine.limits().clientEventsPerSecond(), now);
        this.inbound = new TokenBucket(engine.limits().inboundMessagesPerSecond(), now);
    }

    @Override
    public String socketId() {
        return socketId;
    }

    @Override
    public void receive(String text) {
        if (closed.get()) {
            return;
        }
        activity();
        engine.protocol().handle(this, text);
    }

    @Override
    public void activity() {
        lastActivity = System.nanoTime();
        if (pingSentAt != 0) {
            pingSentAt = 0;
        }
    }

    @Override
    public void closed(int code, String reason) {
        terminate(code, reason);
    }

    /** Queues a frame; a full queue marks this connection a slow consumer. */
    void deliver(String frame) {
        if (!transport.send(frame) && !closed.get()) {
            engine.slowConsumer(this);
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
        synchronized (this) {
            for (Map.Entry<String, String> e : subscriptions.entrySet()) {
                String presenceUser = e.getValue();
                engine.channels().unsubscribe(this, e.getKey(), presenceUser.isEmpty() ? null : presenceUser);
            }
            subscriptions.clear();
        }
        engine.removed(this, code, reason);
        return true;
    }

    /** Pings after {@code activityNanos} of silence, closes with 4201 after {@code pongNanos} more. */
    void checkActivity(long now, long activityNanos, long pongNanos) {
        long ping = pingSentAt;
        if (ping != 0) {
            if (now - ping > pongNanos) {
                close(dev.realtime.ErrorCodes.PONG_TIMEOUT, "Pong reply not received");
            }
        } else if (now - lastActivity > activityNanos) {
            pingSentAt = now;
            if (!transport.ping()) {
                deliver(Frames.PING);
            }
        }
    }

    boolean isSubscribed(String channel) {
        return subscriptions.containsKey(channel);
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    /** Records a subscription (caller holds this monitor). */
    void subscribed(String channel, String presenceUserId) {
        subscriptions.put(channel, presenceUserId == null ? NO_PRESENCE : presenceUserId);
    }

    /** Forgets a subscription (caller holds this monitor); returns the presence user id, "" or null when absent. */
    String unsubscribed(String channel) {
        return subscriptions.remove(channel);
    }

    /** The presence user id this connection joined {@code channel} as, or null. */
    String presenceUserId(String channel) {
        String id = subscriptions.get(channel);
        return id == null || id.isEmpty() ? null : id;
    }

    List<String> channelNames() {
        return List.copyOf(subscriptions.keySet());
    }

    String userId() {
        return userId;
    }

    void userId(String userId) {
        this.userId = userId;
    }

    ConnectionInfo info() {
        return new ConnectionInfo(socketId, userId, remoteAddress);
    }
}
