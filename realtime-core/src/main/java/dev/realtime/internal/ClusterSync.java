package dev.realtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.Member;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the nodes' views of each other's presence entries and subscription counts in step, over
 * the {@code control} topic (DESIGN.md "Presence in a cluster"). Each node owns the entries of its
 * own connections and publishes them as deltas ({@code presence.join}, {@code presence.leave}) and
 * its changed counts ({@code counts}, every {@link #FLUSH_MILLIS} ms); every heartbeat interval it
 * publishes a digest of what it owns. A node whose digest differs from what another holds for it
 * twice in a row, or that is new to it, is asked for a full sync ({@code sync.request} /
 * {@code sync.full}), which replaces what was held for it (only real changes fire events, so a node
 * coming back causes no duplicate {@code member_added} and leaves no ghost). A node silent for the
 * node timeout is declared down and everything it owned is removed — unless it is this node that was
 * stopped or cut off from the broker, which then hears no one. Also carries the commands that
 * must reach a connection wherever it is: {@code socket} ({@code send(socketId, …)}) and
 * {@code disconnect} ({@code disconnectUser}).
 */
final class ClusterSync {
    static final long FLUSH_MILLIS = 50;
    /** How often silent nodes are looked for: a dead node is declared down at most this late after the timeout. */
    static final long CHECK_MILLIS = 200;
    static final String JOIN = "presence.join";
    static final String LEAVE = "presence.leave";
    static final String COUNTS = "counts";
    static final String HEARTBEAT = "heartbeat";
    static final String SYNC_REQUEST = "sync.request";
    static final String SYNC_FULL = "sync.full";
    static final String SOCKET = "socket";
    static final String DISCONNECT = "disconnect";
    static final String BYE = "bye";

    /** What the sync needs to act on commands for local connections. */
    interface Commands {
        /** Delivers a frame to a local socket; false when it is not here. */
        boolean deliverToSocket(String socketId, String frame);

        /** Closes the user's local connections; returns how many. */
        int disconnectLocal(String userId);
    }

    /** What this node knows of another. */
    private static final class Peer {
        volatile long lastSeen;
        int mismatches;
    }

    private final String nodeId;
    private final ClusterBridge bridge;
    private final Channels channels;
    private final PresenceRegistry presence;
    private final Occupancy occupancy;
    private final ListenerDispatcher dispatcher;
    private final long heartbeatNanos;
    private final long timeoutNanos;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private volatile Commands commands;
    private volatile long lastTick;
    /** This node's broker connection is down: it hears no one, so silence says nothing about the others. */
    private volatile boolean deaf;

    ClusterSync(String nodeId, ClusterBridge bridge, Channels channels, PresenceRegistry presence, Occupancy occupancy,
                ListenerDispatcher dispatcher, long heartbeatNanos, long timeoutNanos) {
        this.nodeId = nodeId;
        this.bridge = bridge;
        this.channels = channels;
        this.presence = presence;
        this.occupancy = occupancy;
        this.dispatcher = dispatcher;
        this.heartbeatNanos = heartbeatNanos;
        this.timeoutNanos = timeoutNanos;
    }

    /** Asks the others for their state and starts the heartbeats and the count flushes on {@code timer}. */
    void start(Commands commands, ScheduledExecutorService timer) {
        this.commands = commands;
        lastTick = System.nanoTime();
        publish(SYNC_REQUEST, Map.of("target", "*"));
        timer.scheduleWithFixedDelay(this::flushCounts, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        long beat = TimeUnit.NANOSECONDS.toMillis(heartbeatNanos);
        timer.scheduleWithFixedDelay(this::heartbeat, 0, beat, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::checkPeers, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * This node lost its broker connection. Until it is back it declares no other node down: every
     * node is silent to it, and if the broker itself went away (a restart) every node would otherwise
     * declare every other down, and clients would see all remote members leave and join again.
     */
    void brokerDown() {
        deaf = true;
    }

    /**
     * After a broker outage: every known node gets a whole node timeout to be heard again (the nodes
     * reconnect at slightly different times); whatever was missed meanwhile, get everybody's whole
     * state and send ours.
     */
    void resync() {
        long now = System.nanoTime();
        peers.values().forEach(p -> p.lastSeen = now);
        deaf = false;
        occupancy.markAllDirty();
        publish(SYNC_REQUEST, Map.of("target", "*"));
        publishState();
    }

    /** Tells the others this node is leaving, so they drop its entries at once. */
    void stop() {
        publish(BYE, Map.of());
    }

    // ---- this node's changes ----

    void localEntryAdded(String channel, Member member, String userInfoJson, String socketId) {
        publishDelta(JOIN, Map.of("channel", channel, "user", member.userId(), "socket", socketId, "info", userInfoJson));
    }

    void localEntryRemoved(String channel, String userId, String socketId) {
        publishDelta(LEAVE, Map.of("channel", channel, "user", userId, "socket", socketId));
    }

    /** Sends a frame to a socket on another node (when it is not here). */
    void toSocket(String socketId, String frame) {
        publish(SOCKET, Map.of("socket", socketId, "frame", frame));
    }

    /** Asks every other node to close the user's connections. */
    void disconnect(String userId) {
        publish(DISCONNECT, Map.of("user", userId));
    }

    private synchronized void flushCounts() {
        try {
            Set<String> dirty = occupancy.takeDirty();
            if (dirty.isEmpty()) {
                return;
            }
            ObjectNode counts = Json.MAPPER.createObjectNode();
            for (String channel : dirty) {
                counts.put(channel, occupancy.localCount(channel));
            }
            publish(COUNTS, Map.of("counts", counts.toString()));
        } catch (RuntimeException e) {
            dispatcher.error("cluster count flush failed", e);
        }
    }

    private void heartbeat() {
        try {
            flushCounts(); // counts go out before the digest that includes them
            publish(HEARTBEAT, Map.of("digest", Long.toHexString(digest(nodeId, occupancy.localCounts()))));
        } catch (RuntimeException e) {
            dispatcher.error("cluster heartbeat failed", e);
        }
    }

    /**
     * Declares down the nodes silent for the node timeout, unless it is this node that was stopped (a
     * GC pause, SIGSTOP) or cut off from the broker.
     */
    private void checkPeers() {
        try {
            long now = System.nanoTime();
            boolean wePaused = now - lastTick > timeoutNanos;
            lastTick = now;
            for (Map.Entry<String, Peer> e : peers.entrySet()) {
                if (wePaused || deaf) {
                    e.getValue().lastSeen = now; // we were stopped or cut off, not them: give them a heartbeat's chance
                } else if (now - e.getValue().lastSeen > timeoutNanos) {
                    down(e.getKey(), "silent for more than " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                }
            }
        } catch (RuntimeException e) {
            dispatcher.error("cluster node check failed", e);
        }
    }

    private void down(String node, String why) {
        if (peers.remove(node) == null) {
            return;
        }
        dispatcher.error("cluster node " + node + " is down (" + why + "): its connections' presence is removed",
                new IllegalStateException("node " + node + " down"));
        channels.removeNode(node);
        occupancy.removeNode(node);
    }

    // ---- the others' messages ----

    /** A control envelope (from any node; this node's own are ignored). */
    void onControl(Envelope env) {
        try {
            handle(env);
        } catch (RuntimeException e) {
            dispatcher.error("cluster control message " + env.kind() + " from " + env.origin() + " failed", e);
        }
    }

    private void handle(Envelope env) {
        String from = env.origin();
        if (from.equals(nodeId)) {
            return;
        }
        if (env.kind().equals(BYE)) {
            down(from, "it left");
            return;
        }
        Peer peer = peers.get(from);
        if (peer == null) {
            peer = new Peer();
            peers.put(from, peer);
            if (!env.kind().equals(SYNC_FULL)) {
                publish(SYNC_REQUEST, Map.of("target", from)); // new to us (or back): get its whole state
            }
        }
        peer.lastSeen = System.nanoTime();
        switch (env.kind()) {
            case JOIN -> channels.addRemoteMember(env.field("channel"), member(env.field("user"), env.field("info")),
                    env.field("info"), env.field("socket"), from);
            case LEAVE -> channels.removeRemoteMember(env.field("channel"), env.field("user"), env.field("socket"), from);
            case COUNTS -> {
                JsonNode counts = Json.readOrNull(env.field("counts"));
                if (counts != null) {
                    counts.fields().forEachRemaining(e -> occupancy.remote(from, e.getKey(), e.getValue().asInt()));
                }
            }
            case HEARTBEAT -> {
                boolean same = Long.toHexString(digest(from, occupancy.ofNode(from))).equals(env.field("digest"));
                peer.mismatches = same ? 0 : peer.mismatches + 1;
                if (peer.mismatches >= 2) { // one may be a delta still in flight
                    peer.mismatches = 0;
                    publish(SYNC_REQUEST, Map.of("target", from));
                }
            }
            case SYNC_REQUEST -> {
                if ("*".equals(env.field("target")) || nodeId.equals(env.field("target"))) {
                    publishState();
                }
            }
            case SYNC_FULL -> replace(from, env.field("state"));
            case SOCKET -> {
                Commands c = commands;
                if (c != null) {
                    c.deliverToSocket(env.field("socket"), env.field("frame"));
                }
            }
            case DISCONNECT -> {
                Commands c = commands;
                if (c != null) {
                    c.disconnectLocal(env.field("user"));
                }
            }
            default -> { /* kinds of later versions are ignored */ }
        }
    }

    /** This node's entries and counts, as a full sync carries them. */
    private String state() {
        ObjectNode state = Json.MAPPER.createObjectNode();
        ArrayNode entries = state.putArray("entries");
        for (PresenceRegistry.Held h : presence.entriesOf(nodeId)) {
            entries.addObject().put("channel", h.channel()).put("user", h.userId()).put("socket", h.socketId())
                    .put("info", h.userInfoJson());
        }
        ObjectNode counts = state.putObject("counts");
        occupancy.localCounts().forEach(counts::put);
        return state.toString();
    }

    /** Replaces what is held for {@code node} with its full state: only differences fire events. */
    private void replace(String node, String stateJson) {
        JsonNode state = Json.readOrNull(stateJson);
        if (state == null) {
            return;
        }
        Map<String, PresenceRegistry.Held> incoming = new LinkedHashMap<>();
        for (JsonNode e : state.path("entries")) {
            PresenceRegistry.Held h = new PresenceRegistry.Held(e.path("channel").asText(), e.path("user").asText(),
                    e.path("socket").asText(), e.path("info").asText("{}"));
            incoming.put(key(h), h);
        }
        Set<String> held = new HashSet<>();
        for (PresenceRegistry.Held h : presence.entriesOf(node)) {
            held.add(key(h));
            if (!incoming.containsKey(key(h))) {
                channels.removeRemoteMember(h.channel(), h.userId(), h.socketId(), node);
            }
        }
        for (Map.Entry<String, PresenceRegistry.Held> e : incoming.entrySet()) {
            if (!held.contains(e.getKey())) {
                PresenceRegistry.Held h = e.getValue();
                channels.addRemoteMember(h.channel(), member(h.userId(), h.userInfoJson()), h.userInfoJson(), h.socketId(), node);
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        state.path("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        occupancy.replaceNode(node, counts);
    }

    private static String key(PresenceRegistry.Held h) {
        return h.channel() + '\n' + h.userId() + '\n' + h.socketId();
    }

    private static Member member(String userId, String infoJson) {
        JsonNode info = Json.readOrNull(infoJson);
        if (info == null || !info.isObject()) {
            return Member.of(userId, Map.of());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.MAPPER.convertValue(info, LinkedHashMap.class);
        return Member.of(userId, map);
    }

    /** An order-independent digest of a node's entries (as held here) and counts. */
    private long digest(String node, Map<String, Integer> counts) {
        long sum = 0;
        List<PresenceRegistry.Held> entries = presence.entriesOf(node);
        for (PresenceRegistry.Held h : entries) {
            sum += fnv("p\n" + key(h));
        }
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            sum += fnv("c\n" + e.getKey() + '\n' + e.getValue());
        }
        return sum;
    }

    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * A full state and the deltas go out in the order they were taken: a state read before an entry
     * was added but published after its delta would, on the other nodes, replace the entry the delta
     * had just added (a member on this node missing from their rosters until the next digest).
     */
    private final Object stateOrder = new Object();

    private void publishDelta(String kind, Map<String, String> fields) {
        synchronized (stateOrder) {
            publish(kind, fields);
        }
    }

    private void publishState() {
        synchronized (stateOrder) {
            publish(SYNC_FULL, Map.of("state", state()));
        }
    }

    private void publish(String kind, Map<String, String> fields) {
        bridge.publishControl(new Envelope(Envelope.VERSION, nodeId, kind, fields));
    }
}
