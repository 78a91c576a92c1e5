package dev.realtime.internal;

import dev.realtime.ConnectionFailedException;
import dev.realtime.ErrorCodes;
import dev.realtime.Limits;
import dev.realtime.Realtime;
import dev.realtime.spi.Session;
import dev.realtime.spi.TransportConnection;
import dev.realtime.spi.TransportContext;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The transports' side of the node: opens or refuses connections, keeps them by socket id and by
 * address, checks their activity, and forgets them when they close. Inbound frames go to the
 * {@link Protocol}; what concerns listeners goes to the {@link ListenerDispatcher}.
 */
final class Connections implements TransportContext, Connection.Owner {
    private final NodeSettings settings;
    private final Channels channels;
    private final UserRegistry users;
    private final Protocol protocol;
    private final ListenerDispatcher dispatcher;
    /** Runs the closes a fan-out asks for (a slow consumer), off the fan-out's thread and locks. */
    private final Executor closer;
    private final ConcurrentHashMap<String, Connection> bySocketId = new ConcurrentHashMap<>();
    private final AddressCounter perAddress = new AddressCounter();
    private volatile boolean closing;

    /** What the connections need to know of the node. */
    record NodeSettings(Realtime realtime, String appKey, Limits limits, long activityNanos, long pongNanos,
                        int activityTimeoutSeconds, int pongTimeoutSeconds) {
    }

    Connections(NodeSettings settings, Channels channels, UserRegistry users, Protocol protocol,
                ListenerDispatcher dispatcher, Executor closer) {
        this.settings = settings;
        this.channels = channels;
        this.users = users;
        this.protocol = protocol;
        this.dispatcher = dispatcher;
        this.closer = closer;
    }

    // ---- TransportContext ----

    @Override
    public Session open(TransportConnection transport, String appKey, String protocolVersion) {
        if (closing) {
            return refuse(transport, 4200, "server is shutting down");
        }
        if (appKey == null || !appKey.equals(settings.appKey())) {
            return refuse(transport, ErrorCodes.APP_NOT_FOUND, "App key " + appKey + " not in this cluster");
        }
        if (protocolVersion == null || protocolVersion.isEmpty()) {
            return refuse(transport, ErrorCodes.NO_PROTOCOL, "No protocol version supplied: connect with ?protocol=7");
        }
        int version;
        try {
            version = Integer.parseInt(protocolVersion);
        } catch (NumberFormatException e) {
            version = -1;
        }
        if (version < 5 || version > 7) {
            return refuse(transport, ErrorCodes.UNSUPPORTED_PROTOCOL, "Unsupported protocol version " + protocolVersion
                    + ": this server speaks 5 to 7");
        }
        String ip = transport.remoteAddress();
        if (ip != null && !perAddress.tryAcquire(ip, settings.limits().maxConnectionsPerIp())) {
            return refuse(transport, ErrorCodes.OVER_CAPACITY, "too many connections from " + ip);
        }
        Connection c;
        do {
            c = new Connection(this, channels, settings.limits(), transport, SocketIds.next(), System.nanoTime());
        } while (bySocketId.putIfAbsent(c.socketId, c) != null);
        c.deliver(Frames.connectionEstablished(c.socketId, settings.activityTimeoutSeconds()));
        if (dispatcher.active()) {
            var info = c.info();
            dispatcher.fire(l -> l.connectionOpened(info));
        }
        return c;
    }

    private static Session refuse(TransportConnection transport, int code, String message) {
        transport.send(Frames.error(code, message));
        transport.close(code, message);
        return RefusedSession.INSTANCE;
    }

    @Override
    public void connectionFailed(Session session, Throwable cause) {
        Connection c = session == null || session.socketId() == null ? null : bySocketId.get(session.socketId());
        var info = c != null ? c.info() : new dev.realtime.ConnectionInfo(session == null ? null : session.socketId(), null, null);
        dispatcher.error("connection " + info.socketId() + " failed", new ConnectionFailedException(info, cause));
    }

    @Override
    public Limits limits() {
        return settings.limits();
    }

    @Override
    public int activityTimeoutSeconds() {
        return settings.activityTimeoutSeconds();
    }

    @Override
    public int pongTimeoutSeconds() {
        return settings.pongTimeoutSeconds();
    }

    @Override
    public Realtime realtime() {
        return settings.realtime();
    }

    // ---- Connection.Owner ----

    @Override
    public void received(Connection c, String text) {
        protocol.handle(c, text);
    }

    /**
     * A connection's queue is full. Called from fan-out, possibly under a channel's lock, so the close
     * runs later on another thread (closing takes the connection's lock, which must come first).
     */
    @Override
    public void slowConsumer(Connection c) {
        if (c.isClosed() || !c.markSlow()) {
            return;
        }
        var info = c.info();
        try {
            closer.execute(() -> c.close(ErrorCodes.OVER_CAPACITY,
                    "slow consumer: more than " + settings.limits().outboundQueueFrames() + " frames queued"));
        } catch (RejectedExecutionException e) {
            return;
        }
        dispatcher.fire(l -> l.slowConsumer(info));
    }

    @Override
    public void closed(Connection c, int code, String reason) {
        bySocketId.remove(c.socketId, c);
        String userId = c.userId();
        if (userId != null) {
            users.signOut(c, userId);
        }
        if (c.remoteAddress != null) {
            perAddress.release(c.remoteAddress);
        }
        if (dispatcher.active()) {
            var info = c.info();
            dispatcher.fire(l -> l.connectionClosed(info, code, reason));
        }
    }

    // ---- for the node ----

    /** The open connection with this socket id, or null. */
    Connection get(String socketId) {
        return socketId == null ? null : bySocketId.get(socketId);
    }

    int count() {
        return bySocketId.size();
    }

    /** Runs {@link #checkActivity} and then {@code alsoEachTick} (given the same clock reading) every {@code tickMillis}. */
    void scheduleChecks(java.util.concurrent.ScheduledExecutorService timer, long tickMillis,
                        java.util.function.LongConsumer alsoEachTick) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                long now = System.nanoTime();
                checkActivity(now);
                alsoEachTick.accept(now);
            } catch (RuntimeException e) {
                dispatcher.error("activity check failed", e);
            }
        }, tickMillis, tickMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Pings the silent connections and closes those that did not answer (4201). */
    void checkActivity(long now) {
        for (Connection c : bySocketId.values()) {
            c.checkActivity(now, settings.activityNanos(), settings.pongNanos());
        }
    }

    /** Refuses new connections and closes the open ones with {@code code}. */
    void closeAll(int code, String reason) {
        closing = true;
        for (Connection c : new ArrayList<>(bySocketId.values())) {
            c.close(code, reason);
        }
    }
}
