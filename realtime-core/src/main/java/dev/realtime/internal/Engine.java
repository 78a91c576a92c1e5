package dev.realtime.internal;

import dev.realtime.spi.DaemonThreads;

import dev.realtime.AppCredentials;
import dev.realtime.AuthRequest;
import dev.realtime.AuthResponse;
import dev.realtime.Broadcast;
import dev.realtime.ChannelInfo;
import dev.realtime.ChannelType;
import dev.realtime.ErrorCodes;
import dev.realtime.Limits;
import dev.realtime.Member;
import dev.realtime.NodeStats;
import dev.realtime.Realtime;
import dev.realtime.RealtimeException;
import dev.realtime.User;
import dev.realtime.spi.Transport;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node behind {@link Realtime}: wires its parts together and answers the application's calls.
 * The parts: {@link Connections} (the transports' side), {@link Protocol} (inbound frames),
 * {@link Channels} with the {@link PresenceRegistry}, the {@link UserRegistry}, the {@link Publisher}
 * (local fan-out plus the {@link ClusterBridge} in a cluster) and {@link Authorizations}. None of
 * them holds the engine.
 */
public final class Engine implements Realtime {
    private final EngineConfig config;
    private final ListenerDispatcher dispatcher;
    private final Channels channels;
    private final ClusterView view;
    private final UserRegistry users;
    private final Publisher publisher;
    private final Connections connections;
    private final Authorizations authorizations;
    private final ClusterBridge bridge;
    private final ClusterSync sync;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Transport> transports = new CopyOnWriteArrayList<>();

    public Engine(EngineConfig config) {
        this.config = config;
        Limits limits = config.limits();
        Signer signer = new Signer(config.app().secret());
        this.dispatcher = new ListenerDispatcher(config.listeners(), config.nodeId());
        this.bridge = config.broker() == null ? null : new ClusterBridge(config.broker(), config.app().id(), config.nodeId(), dispatcher);
        UserRegistry.Interest interest = bridge == null ? topic -> { } : bridge::interestChanged;
        this.users = new UserRegistry(interest);
        PresenceRegistry presence = new PresenceRegistry();
        Occupancy occupancy = new Occupancy(dispatcher);
        NodeEvents events = new NodeEvents(dispatcher, interest, occupancy);
        this.channels = new Channels(presence, events, config.nodeId(), limits.maxPresenceMembers(), config.cacheTtl().toNanos());
        this.view = new ClusterView(occupancy, presence);
        this.sync = bridge == null ? null : new ClusterSync(config.nodeId(), bridge, channels, presence, occupancy, dispatcher,
                config.heartbeatInterval().toNanos(), config.nodeTimeout().toNanos());
        events.replicateThrough(sync);
        this.publisher = new Publisher(channels, users, bridge);
        Protocol protocol = new Protocol(limits, signer, config.app().key(), config.clientEvents(), users, publisher,
                dispatcher);
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("realtime-timer-" + config.nodeId()));
        int activitySeconds = (int) Math.max(1, config.activityTimeout().toSeconds());
        int pongSeconds = (int) Math.max(1, (config.pongTimeout().toMillis() + 999) / 1000);
        this.connections = new Connections(new Connections.NodeSettings(this, config.app().key(), limits,
                config.activityTimeout().toNanos(), config.pongTimeout().toNanos(), activitySeconds, pongSeconds),
                channels, users, protocol, dispatcher, timer);
        this.authorizations = new Authorizations(config, signer, dispatcher);
    }

    /** Starts the broker, the timer and the transports. */
    public void start(List<Transport> transports) {
        if (bridge != null) {
            bridge.start(publisher, sync::onControl, sync::brokerDown, sync::resync);
            sync.start(new ClusterSync.Commands() {
                @Override public boolean deliverToSocket(String socketId, String frame) { return deliverLocal(socketId, frame); }
                @Override public int disconnectLocal(String userId) { return disconnectHere(userId); }
            }, timer);
        }
        long tick = Math.max(50, Math.min(1000, Math.min(config.activityTimeout().toMillis(), config.pongTimeout().toMillis()) / 4));
        connections.scheduleChecks(timer, tick, channels::expireCache);
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
        transport.start(connections);
    }

    @Override
    public Limits limits() {
        return config.limits();
    }

    @Override
    public String nodeId() {
        return config.nodeId();
    }

    // ---- Realtime ----

    @Override
    public void broadcast(Broadcast b) {
        ServerEvents.checkChannels(b.channels(), limits());
        String data = ServerEvents.payload(b.event(), b.data(), limits());
        for (String name : b.channels()) {
            publisher.toChannel(name, Frames.event(b.event(), name, data), b.exceptSocketId());
        }
    }

    @Override
    public void sendToUser(String userId, String event, Object data) {
        if (userId == null || userId.isEmpty()) {
            throw new RealtimeException(ErrorCodes.INVALID_MESSAGE, "sendToUser needs a user id");
        }
        String frame = Frames.event(event, ChannelType.SERVER_TO_USER_PREFIX + userId, ServerEvents.payload(event, data, limits()));
        publisher.toUser(userId, frame);
    }

    @Override
    public boolean send(String socketId, String event, Object data) {
        String frame = Frames.event(event, null, ServerEvents.payload(event, data, limits()));
        if (deliverLocal(socketId, frame)) {
            return true;
        }
        if (sync != null && socketId != null) {
            sync.toSocket(socketId, frame); // the node that has it delivers it
            return true;
        }
        return false;
    }

    private boolean deliverLocal(String socketId, String frame) {
        Connection c = connections.get(socketId);
        if (c != null) {
            c.deliver(frame);
        }
        return c != null;
    }

    @Override
    public List<Member> presence(String channel) {
        return view.members(channel);
    }

    @Override
    public ChannelInfo channel(String name) {
        return view.info(name);
    }

    @Override
    public Map<String, ChannelInfo> channels(String prefix) {
        return view.infos(prefix == null ? "" : prefix);
    }

    @Override
    public int disconnectUser(String userId) {
        if (sync != null) {
            sync.disconnect(userId);
        }
        return disconnectHere(userId);
    }

    private int disconnectHere(String userId) {
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
        return connections.count();
    }

    @Override
    public NodeStats stats() {
        return new NodeStats(connections.count(), channels.localChannelCount(), channels.localSubscriptionCount(),
                bridge != null, bridge == null || bridge.brokerUp());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Close the connections while the transports can still write the close frames; new ones are refused.
        connections.closeAll(4200, "server shutting down");
        for (Transport t : transports) {
            try {
                t.stop();
            } catch (RuntimeException e) {
                dispatcher.error("transport " + t + " failed to stop", e);
            }
        }
        if (sync != null) {
            sync.stop();
        }
        timer.shutdownNow();
        if (bridge != null) {
            bridge.close();
        }
        dispatcher.close();
    }
}
