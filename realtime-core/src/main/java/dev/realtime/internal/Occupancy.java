package dev.realtime.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Subscription counts for the whole cluster: this node's (told by its channels, in order, under the
 * channel's lock) plus each other node's (as it reported them). A channel is occupied while the total is above zero;
 * the listener hears {@code channelOccupied} / {@code channelVacated} once per such change, however
 * many nodes the subscribers are on. On a single node it is simply the local count. Thread-safe
 * (one monitor: counts change on subscribe and unsubscribe, not on the broadcast path).
 */
final class Occupancy {
    private final ListenerDispatcher dispatcher;
    /** This node's counts, by channel (no entry for 0). */
    private final Map<String, Integer> local = new HashMap<>();
    /** Channel to (node to count), for other nodes only. */
    private final Map<String, Map<String, Integer>> remote = new HashMap<>();
    private final Set<String> occupied = new HashSet<>();
    /** Channels whose local count changed since {@link #takeDirty()}: what to tell the other nodes. */
    private final Set<String> dirty = new LinkedHashSet<>();

    Occupancy(ListenerDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** The local subscriber count of {@code channel} is now {@code count}. */
    synchronized void local(String channel, int count) {
        if (count > 0) {
            local.put(channel, count);
        } else {
            local.remove(channel);
        }
        dirty.add(channel);
        reconcile(channel);
    }

    /** This node's count of {@code channel}. */
    synchronized int localCount(String channel) {
        return local.getOrDefault(channel, 0);
    }

    /** This node's counts, by channel. */
    synchronized Map<String, Integer> localCounts() {
        return Map.copyOf(local);
    }

    /** Another node reports its subscriber count of {@code channel}. */
    synchronized void remote(String node, String channel, int count) {
        if (count > 0) {
            remote.computeIfAbsent(channel, k -> new HashMap<>()).put(node, count);
        } else {
            Map<String, Integer> nodes = remote.get(channel);
            if (nodes != null && nodes.remove(node) != null && nodes.isEmpty()) {
                remote.remove(channel);
            }
        }
        reconcile(channel);
    }

    /** Replaces everything known of {@code node} with {@code counts} (a full sync). */
    synchronized void replaceNode(String node, Map<String, Integer> counts) {
        Set<String> touched = new HashSet<>(counts.keySet());
        for (Map.Entry<String, Map<String, Integer>> e : remote.entrySet()) {
            if (e.getValue().containsKey(node)) {
                touched.add(e.getKey());
            }
        }
        for (String channel : touched) {
            remote(node, channel, counts.getOrDefault(channel, 0));
        }
    }

    /** Forgets a node that left the cluster. */
    synchronized void removeNode(String node) {
        replaceNode(node, Map.of());
    }

    /** What {@code node} reported, by channel. */
    synchronized Map<String, Integer> ofNode(String node) {
        Map<String, Integer> out = new HashMap<>();
        remote.forEach((channel, nodes) -> {
            Integer n = nodes.get(node);
            if (n != null) {
                out.put(channel, n);
            }
        });
        return out;
    }

    /** Subscribers of {@code channel} on every node. */
    synchronized int total(String channel) {
        int n = local.getOrDefault(channel, 0);
        Map<String, Integer> nodes = remote.get(channel);
        if (nodes != null) {
            for (int c : nodes.values()) {
                n += c;
            }
        }
        return n;
    }

    /** The channels with subscribers on some node. */
    synchronized Set<String> channels() {
        Set<String> out = new HashSet<>(local.keySet());
        out.addAll(remote.keySet());
        return out;
    }

    /** Marks every local count as changed (to send them all again). */
    synchronized void markAllDirty() {
        dirty.addAll(local.keySet());
    }

    /** The channels whose local count changed since the last call, now clean. */
    synchronized Set<String> takeDirty() {
        Set<String> out = Set.copyOf(dirty);
        dirty.clear();
        return out;
    }

    private void reconcile(String channel) {
        boolean now = total(channel) > 0;
        if (now && occupied.add(channel)) {
            dispatcher.fire(l -> l.channelOccupied(channel));
        } else if (!now && occupied.remove(channel)) {
            dispatcher.fire(l -> l.channelVacated(channel));
        }
    }
}
