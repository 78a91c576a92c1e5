package dev.realtime.internal;

import dev.realtime.ChannelType;
import dev.realtime.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's channels: subscribe and unsubscribe, presence through the {@link PresenceRegistry}
 * (entries of this node's connections and of other nodes'), local fan-out, and the last event of
 * cache channels. Changes to one channel happen under that channel's lock (a stripe of a fixed set,
 * so a lock outlives the channel object and a channel can be dropped and created again without
 * races); fan-out takes no lock. Lock order: connection, then channel, then the registry's own.
 * What happened is reported through {@link ChannelEvents}, after the lock is released.
 */
final class Channels {
    private static final int STRIPES = 1024;

    private record Cached(String frame, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<String, LocalChannel> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[STRIPES];
    private final PresenceRegistry presence;
    private final ChannelEvents events;
    private final String nodeId;
    private final int maxPresenceMembers;
    private final long cacheTtlNanos;

    Channels(PresenceRegistry presence, ChannelEvents events, String nodeId, int maxPresenceMembers, long cacheTtlNanos) {
        this.presence = presence;
        this.events = events;
        this.nodeId = nodeId;
        this.maxPresenceMembers = maxPresenceMembers;
        this.cacheTtlNanos = cacheTtlNanos;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    private Object lock(String channel) {
        int h = channel.hashCode();
        return locks[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }

    /**
     * Subscribes {@code c} (its own lock held by the caller, Connection) and sends it the success
     * frame, after {@code member_added} to the others. Returns null on success, or the error frame to send.
     */
    String subscribe(Connection c, String name, ChannelType type, Member member, String userInfoJson) {
        boolean occupied = false;
        boolean added = false;
        boolean entryAdded = false;
        synchronized (lock(name)) {
            LocalChannel ch = channels.get(name);
            if (ch != null && ch.contains(c)) {
                c.deliver(Frames.subscriptionSucceeded(name, type.isPresence() ? presence.presenceJson(name) : "{}"));
                return null;
            }
            if (member != null) {
                PresenceRegistry.Added result = presence.add(name, member, userInfoJson, c.socketId, nodeId, maxPresenceMembers);
                if (result == PresenceRegistry.Added.FULL) {
                    return Frames.subscriptionError(name, "LimitReached", "presence channel " + name
                            + " is full (" + maxPresenceMembers + " members)", 4100);
                }
                added = result == PresenceRegistry.Added.MEMBER_ADDED;
                entryAdded = true;
                if (added && ch != null) {
                    ch.deliverExcept(Frames.memberAdded(name, member.userId(), userInfoJson), null);
                }
            }
            if (ch == null) {
                ch = new LocalChannel(name, type);
                channels.put(name, ch);
                occupied = true;
            }
            ch.add(c);
            events.subscriptions(name, ch.size());
            if (entryAdded) {
                // The other nodes hear of the entry (an offer to the broker's publish queue) before the client
                // hears it is in: a client told "here" that then gets a friend onto another node must find itself
                // in the friend's roster, which that node builds from the entries it has heard of.
                events.localEntryAdded(name, member, userInfoJson, c.socketId);
            }
            c.deliver(Frames.subscriptionSucceeded(name, type.isPresence() ? presence.presenceJson(name) : "{}"));
        }
        if (type.isCache()) {
            Cached last = cache.get(name);
            c.deliver(last != null && last.expiresAtNanos - System.nanoTime() > 0 ? last.frame : Frames.cacheMiss(name));
        }
        if (occupied) {
            events.occupied(name);
        }
        if (added) {
            events.memberAdded(name, member);
        }
        return null;
    }

    /** Removes {@code c} from the channel (its own lock held by the caller); {@code member_removed} on the user's last entry. */
    void unsubscribe(Connection c, String name, String presenceUserId) {
        Member removed = null;
        boolean vacated = false;
        synchronized (lock(name)) {
            LocalChannel ch = channels.get(name);
            if (ch == null || !ch.remove(c)) {
                return;
            }
            events.subscriptions(name, ch.size());
            if (presenceUserId != null) {
                removed = presence.remove(name, presenceUserId, c.socketId, nodeId);
                if (removed != null) {
                    ch.deliverExcept(Frames.memberRemoved(name, presenceUserId), null);
                }
            }
            if (ch.size() == 0) {
                channels.remove(name, ch);
                vacated = true;
            }
        }
        if (presenceUserId != null) {
            events.localEntryRemoved(name, presenceUserId, c.socketId);
        }
        if (removed != null) {
            events.memberRemoved(name, removed);
        }
        if (vacated) {
            events.vacated(name);
        }
    }

    /**
     * Records a presence entry owned by another node (a user joined {@code channel} there):
     * {@code member_added} goes to the local subscribers when it is the user's first entry anywhere.
     */
    void addRemoteMember(String name, Member member, String userInfoJson, String socketId, String ownerNode) {
        boolean added;
        synchronized (lock(name)) {
            added = presence.add(name, member, userInfoJson, socketId, ownerNode, Integer.MAX_VALUE)
                    == PresenceRegistry.Added.MEMBER_ADDED;
            LocalChannel ch = channels.get(name);
            if (added && ch != null) {
                ch.deliverExcept(Frames.memberAdded(name, member.userId(), userInfoJson), null);
            }
        }
        if (added) {
            events.memberAdded(name, member);
        }
    }

    /** Removes a presence entry owned by another node; {@code member_removed} locally when it was the user's last. */
    void removeRemoteMember(String name, String userId, String socketId, String ownerNode) {
        Member removed;
        synchronized (lock(name)) {
            removed = presence.remove(name, userId, socketId, ownerNode);
            LocalChannel ch = channels.get(name);
            if (removed != null && ch != null) {
                ch.deliverExcept(Frames.memberRemoved(name, userId), null);
            }
        }
        if (removed != null) {
            events.memberRemoved(name, removed);
        }
    }

    /** Forgets every presence entry of {@code ownerNode} (gone from the cluster); {@code member_removed} for users it took away. */
    void removeNode(String ownerNode) {
        for (PresenceRegistry.Removal r : presence.removeNode(ownerNode)) {
            synchronized (lock(r.channel())) {
                LocalChannel ch = channels.get(r.channel());
                // Unless the user came back meanwhile (a new entry), tell the local subscribers.
                if (ch != null && !presence.isMember(r.channel(), r.member().userId())) {
                    ch.deliverExcept(Frames.memberRemoved(r.channel(), r.member().userId()), null);
                }
            }
            events.memberRemoved(r.channel(), r.member());
        }
    }

    /** Delivers a ready frame to the local subscribers of {@code name} except one socket. */
    void publishLocal(String name, String frame, String exceptSocketId) {
        if (ChannelType.of(name).isCache()) {
            cache.put(name, new Cached(frame, System.nanoTime() + cacheTtlNanos));
        }
        LocalChannel ch = channels.get(name);
        if (ch != null) {
            ch.deliverExcept(frame, exceptSocketId);
        }
    }

    /** Whether the channel has a local subscriber. */
    boolean isOccupied(String name) {
        return channels.containsKey(name);
    }


    /** The local connections present in some presence channel as {@code userId}. */
    List<Connection> presenceConnections(String userId) {
        List<Connection> result = new ArrayList<>();
        for (LocalChannel ch : channels.values()) {
            if (!ch.type.isPresence() || !presence.isMember(ch.name, userId)) {
                continue;
            }
            for (Connection c : ch.subscribers()) {
                if (userId.equals(c.presenceUserId(ch.name))) {
                    result.add(c);
                }
            }
        }
        return result;
    }

    void expireCache(long now) {
        cache.values().removeIf(c -> c.expiresAtNanos - now <= 0);
    }

    /** The channels with a local subscriber. */
    int localChannelCount() {
        return channels.size();
    }

    /** The local subscriptions, summed over the channels. */
    long localSubscriptionCount() {
        long n = 0;
        for (LocalChannel ch : channels.values()) {
            n += ch.size();
        }
        return n;
    }
}
