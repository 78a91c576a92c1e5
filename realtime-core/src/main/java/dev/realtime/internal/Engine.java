package dev.realtime.internal;

import dev.realtime.AppCredentials;
import dev.realtime.AuthRequest;
import dev.realtime.AuthResponse;
import dev.realtime.Broadcast;
import dev.realtime.ChannelInfo;
import dev.realtime.ChannelType;
import dev.realtime.ClientEvent;
import dev.realtime.ErrorCodes;
import dev.realtime.Limits;
import dev.realtime.Member;
import dev.realtime.Realtime;
import dev.realtime.RealtimeException;
import dev.realtime.User;
import dev.realtime.spi.Session;
import dev.realtime.spi.Transport;
import dev.realtime.spi.TransportConnection;
import dev.realtime.spi.TransportContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The single-node engine behind {@link Realtime}: connections, users, broadcasts, timers. */
public final class Engine implements Realtime, TransportContext {
    private final EngineConfig config;
    private final Signer signer;
    private final ListenerDispatcher dispatcher;
    private final Channels channels;
    private final Protocol protocol;
    private final Authorizations authorizations;
    private final ClusterBridge bridge;
    private final ConcurrentHashMap<String, Connection> connections = new ConcurrentHashMap<>();
    private final UserRegistry users = new UserRegistry();
    private final AddressCounter perAddress = new AddressCounter();
    private final ScheduledExecutorService timer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Transport> transports = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Engine(EngineConfig config) {
        this.config = config;
        this.signer = new Signer(config.app().secret());
        this.dispatcher = new ListenerDispatcher(config.listeners(), config.nodeId());
        this.channels = new Channels(this, config.cacheTtl().toNanos());
        this.protocol = new Protocol(this, signer);
        this.authorizations = new Authorizations(config, signer, dispatcher);
        this.bridge = config.broker() == null ? null : new ClusterBridge(config.broker(), config.nodeId(), this);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "realtime-timer-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the broker, the timer and the transports. */
    public void start(List<Transport> transports) {
        if (bridge != null) {
            bridge.start();
        }
        long activity = config.activityTimeout().toNanos();
        long pong = config.pongTimeout().toNanos();
        long tick = Math.max(50, Math.min(1000, Math.min(config.activityTimeout().toMillis(), config.pongTimeout().toMillis()) / 4));
        timer.scheduleWithFixedDelay(() -> {
            try {
                long now = System.nanoTime();
                for (Connection c : connections.values()) {
                    c.checkActivity(now, activity, pong);
                }
                channels.expireCache(now);
            } catch (RuntimeException e) {
                dispatcher.error("activity check failed", e);
            }
        }, tick, tick, TimeUnit.MILLISECONDS);
        for (Transport t : transports) {
            addTransport(t);
        }
    }

    @Override
    public void removeTransport(Transport transport) {
        if (transports.remove(transport)) {
            transport.stop();
        }
    }

    @Override
    public void addTransport(Transport transport) {
        java.util.Objects.requireNonNull(transport, "transport");
        if (closed.get()) {
            throw new IllegalStateException("this Realtime is closed");
        }
        if (transports.contains(transport)) {
            throw new IllegalStateException("transport " + transport + " is already started on this node");
        }
        transports.add(transport);
        transport.start(this);
    }

    // ---- TransportContext ----

    @Override
    public Session open(TransportConnection transport, String appKey, String protocolVersion) {
        if (closed.get()) {
            return refuse(transport, 4200, "server is shutting down");
        }
        if (appKey == null || !appKey.equals(config.app().key())) {
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
        if (ip != null && !perAddress.tryAcquire(ip, limits().maxConnectionsPerIp())) {
            return refuse(transport, ErrorCodes.OVER_CAPACITY, "too many connections from " + ip);
        }
        Connection c;
        do {
            c = new Connection(this, transport, SocketIds.next(), System.nanoTime());
        } while (connections.putIfAbsent(c.socketId, c) != null);
        c.deliver(Frames.connectionEstablished(c.socketId, activityTimeoutSeconds()));
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
    public Limits limits() {
        return config.limits();
    }

    @Override
    public int pongTimeoutSeconds() {
        return (int) Math.max(1, (config.pongTimeout().toMillis() + 999) / 1000);
    }

    @Override
    public Realtime realtime() {
        return this;
    }

    @Override
    public int activityTimeoutSeconds() {
        return (int) Math.max(1, config.activityTimeout().toSeconds());
    }

    // ---- Realtime ----

    @Override
    public void broadcast(String channel, String event, Object data) {
        broadcast(Broadcast.to(channel).event(event).data(data));
    }

    @Override
    public void broadcast(Broadcast b) {
        List<String> names = b.channels();
        if (names.isEmpty() || names.size() > limits().maxBroadcastChannels()) {
            throw new RealtimeException(ErrorCodes.INVALID_MESSAGE, "a broadcast names 1 to "
                    + limits().maxBroadcastChannels() + " channels, got " + names.size());
        }
        for (String name : names) {
            String problem = ChannelNames.problem(name, limits().maxChannelNameLength());
            if (problem == null && name.startsWith("#")) {
                problem = "channel " + name + " is internal: use sendToUser";
            }
            if (problem != null) {
                throw new RealtimeException(ErrorCodes.INVALID_MESSAGE, "cannot broadcast: " + problem);
            }
        }
        String data = payload(b.event(), b.data());
        for (String name : names) {
            String frame = Frames.event(b.event(), name, data);
            channels.publishLocal(name, frame, b.exceptSocketId());
            if (bridge != null) {
                bridge.publishEvent(name, frame, b.exceptSocketId());
            }
        }
    }

    /** Validates the event name and payload; returns the data as the JSON string the frame carries. */
    private String payload(String event, Object data) {
        String problem = ChannelNames.eventProblem(event, limits().maxEventNameLength());
        if (problem == null && (event.startsWith("pusher:") || event.startsWith("pusher_internal:"))) {
            problem = "event names starting with pusher: or pusher_internal: are reserved";
        }
        if (problem != null) {
            throw new RealtimeException(ErrorCodes.INVALID_MESSAGE, "cannot broadcast: " + problem);
        }
        String json = data instanceof String s ? s : Json.write(data);
        if (Json.exceeds(json, limits().maxPayloadBytes())) {
            throw new RealtimeException(ErrorCodes.INVALID_MESSAGE, "event data is larger than "
                    + limits().maxPayloadBytes() + " bytes (Limits.maxPayloadBytes)");
        }
        return json;
    }

    @Override
    public void sendToUser(String userId, String event, Object data) {
        if (userId == null || userId.isEmpty()) {
            throw new RealtimeException(ErrorCodes.INVALID_MESSAGE, "sendToUser needs a user id");
        }
        String frame = Frames.event(event, ChannelType.SERVER_TO_USER_PREFIX + userId, payload(event, data));
        deliverToUser(userId, frame);
        if (bridge != null) {
            bridge.publishUser(userId, frame);
        }
    }

    void deliverToUser(String userId, String frame) {
        for (Connection c : users.connections(userId)) {
            c.deliver(frame);
        }
    }

    @Override
    public boolean send(String socketId, String event, Object data) {
        Connection c = socketId == null ? null : connections.get(socketId);
        String frame = Frames.event(event, null, payload(event, data));
        if (c == null) {
            return false;
        }
        c.deliver(frame);
        return true;
    }

    @Override
    public List<Member> presence(String channel) {
        return channels.members(channel);
    }

    @Override
    public ChannelInfo channel(String name) {
        return channels.info(name);
    }

    @Override
    public Map<String, ChannelInfo> channels(String prefix) {
        return channels.infos(prefix == null ? "" : prefix);
    }

    @Override
    public int disconnectUser(String userId) {
        Set<Connection> targets = new LinkedHashSet<>();
        targets.addAll(users.connections(userId));
        targets.addAll(channels.presenceConnections(userId));
        for (Connection c : targets) {
            c.deliver(Frames.error(ErrorCodes.UNAUTHORIZED, "connection terminated by the server"));
            c.close(ErrorCodes.UNAUTHORIZED, "connection terminated by the server");
        }
        return targets.size();
    }

    @Override
    public User authenticate(AuthRequest request) {
        return config.authenticator().authenticate(request);
    }

    @Override
    public AuthResponse authorizeChannel(String socketId, String channelName, User user) {
        return authorizations.authorizeChannel(socketId, channelName, user);
    }

    @Override
    public AuthResponse authenticateUser(String socketId, User user) {
        return authorizations.authenticateUser(socketId, user);
    }

    @Override
    public AppCredentials app() {
        return config.app();
    }

    @Override
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Close the connections while the transports can still write the close frames; open() already refuses new ones.
        for (Connection c : new ArrayList<>(connections.values())) {
            c.close(4200, "server shutting down");
        }
        for (Transport t : transports) {
            try {
                t.stop();
            } catch (RuntimeException e) {
                dispatcher.error("transport " + t + " failed to stop", e);
            }
        }
        timer.shutdownNow();
        if (bridge != null) {
            bridge.close();
        }
        dispatcher.close();
    }

    // ---- internal callbacks ----

    Protocol protocol() {
        return protocol;
    }

    Channels channels() {
        return channels;
    }

    ListenerDispatcher dispatcher() {
        return dispatcher;
    }

    boolean clientEventsEnabled() {
        return config.clientEvents();
    }

    /** Registers a sign-in; returns an error when the user has too many connections. */
    String signedIn(Connection c, String userId) {
        String previous = c.userId();
        if (userId.equals(previous)) {
            return null;
        }
        if (!users.add(userId, c, limits().maxConnectionsPerUser())) {
            return "user " + userId + " already has " + limits().maxConnectionsPerUser() + " connections";
        }
        if (previous != null) {
            forgetUser(c, previous);
        }
        c.userId(userId);
        if (bridge != null) {
            bridge.interestChanged("user." + userId);
        }
        return null;
    }

    private void forgetUser(Connection c, String userId) {
        if (users.remove(userId, c) && bridge != null) {
            bridge.interestChanged("user." + userId);
        }
    }

    void relayClientEvent(ClientEvent event, String frame) {
        channels.publishLocal(event.channel(), frame, event.socketId());
        if (bridge != null) {
            bridge.publishEvent(event.channel(), frame, event.socketId());
        }
        dispatcher.fire(l -> l.clientEvent(event));
    }

    /**
     * A connection's queue is full. Called from fan-out, possibly under a channel's lock, so the close
     * runs later on the timer thread (closing takes the connection's lock, which must come first).
     */
    void slowConsumer(Connection c) {
        if (c.isClosed() || !c.markSlow()) {
            return;
        }
        var info = c.info();
        try {
            timer.execute(() -> c.close(ErrorCodes.OVER_CAPACITY,
                    "slow consumer: more than " + limits().outboundQueueFrames() + " frames queued"));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return;
        }
        dispatcher.fire(l -> l.slowConsumer(info));
    }

    /** A connection is gone: forget it everywhere. */
    void removed(Connection c, int code, String reason) {
        connections.remove(c.socketId, c);
        String userId = c.userId();
        if (userId != null) {
            forgetUser(c, userId);
        }
        if (c.remoteAddress != null) {
            perAddress.release(c.remoteAddress);
        }
        if (dispatcher.active()) {
            var info = c.info();
            dispatcher.fire(l -> l.connectionClosed(info, code, reason));
        }
    }

    void channelOccupied(String name) {
        if (bridge != null) {
            bridge.interestChanged("channel." + name);
        }
        dispatcher.fire(l -> l.channelOccupied(name));
    }

    void channelVacated(String name) {
        if (bridge != null) {
            bridge.interestChanged("channel." + name);
        }
        dispatcher.fire(l -> l.channelVacated(name));
    }

    void memberAdded(String channel, Member member) {
        dispatcher.fire(l -> l.memberAdded(channel, member));
    }

    void memberRemoved(String channel, Member member) {
        dispatcher.fire(l -> l.memberRemoved(channel, member));
    }

    /** Whether this node has local interest in a broker topic. */
    boolean wantsTopic(String topic) {
        if (topic.startsWith("channel.")) {
            return channels.isOccupied(topic.substring("channel.".length()));
        }
        if (topic.startsWith("user.")) {
            return users.has(topic.substring("user.".length()));
        }
        return ClusterBridge.CONTROL.equals(topic);
    }
}
