package dev.realtime.internal;

import dev.realtime.ChannelInfo;
import dev.realtime.ChannelType;
import dev.realtime.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's channels: subscribe and unsubscribe with presence bookkeeping, local fan-out, and the
 * last event of cache channels. Lock order: connection, then channel; fan-out takes no lock.
 */
final class Channels {
    private record Cached(String frame, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<String, LocalChannel> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final Engine engine;
    private final long cacheTtlNanos;

    Channels(Engine engine, long cacheTtlNanos) {
        this.engine = engine;
        this.cacheTtlNanos = cacheTtlNanos;
    }

    /**
     * Subscribes {@code c} (caller holds c's monitor) and sends it the success frame, after
     * {@code member_added} to the others. Returns null on success, or the error frame to send.
     */
    String subscribe(Connection c, String name, ChannelType type, Member member, String userInfoJson) {
        while (true) {
            LocalChannel ch = channels.computeIfAbsent(name, n -> new LocalChannel(n, type));
            boolean occupied;
            boolean added = false;
            synchronized (ch) {
                if (ch.removed) {
                    continue;
                }
                if (ch.contains(c)) {
                    c.deliver(Frames.subscriptionSucceeded(name, type.isPresence() ? ch.presenceJson() : "{}"));
                    return null;
                }
                if (member != null) {
                    LocalChannel.PresenceEntry entry = ch.members.get(member.userId());
                    if (entry == null) {
                        if (ch.members.size() >= engine.limits().maxPresenceMembers()) {
                            dropIfEmpty(ch);
                            return Frames.subscriptionError(name, "LimitReached", "presence channel " + name
                                    + " is full (" + engine.limits().maxPresenceMembers() + " members)", 4100);
                        }
                        entry = new LocalChannel.PresenceEntry(member, userInfoJson);
                        ch.members.put(member.userId(), entry);
                        added = true;
                        String frame = Frames.memberAdded(name, member.userId(), userInfoJson);
                        for (Connection other : ch.subscribers) {
                            other.deliver(frame);
                        }
                    }
                    entry.connections++;
                }
                occupied = ch.subscribers.length == 0;
                ch.add(c);
                c.deliver(Frames.subscriptionSucceeded(name, type.isPresence() ? ch.presenceJson() : "{}"));
            }
            if (type.isCache()) {
                Cached last = cache.get(name);
                c.deliver(last != null && last.expiresAtNanos - System.nanoTime() > 0 ? last.frame : Frames.cacheMiss(name));
            }
            if (occupied) {
                engine.channelOccupied(name);
            }
            if (added) {
                engine.memberAdded(name, member);
            }
            return null;
        }
    }

    /** Removes {@code c} from the channel (caller holds c's monitor); sends {@code member_removed} on the user's last connection. */
    void unsubscribe(Connection c, String name, String presenceUserId) {
        LocalChannel ch = channels.get(name);
        if (ch == null) {
            return;
        }
        Member removed = null;
        boolean vacated;
        synchronized (ch) {
            if (!ch.remove(c)) {
                return;
            }
            if (presenceUserId != null) {
                LocalChannel.PresenceEntry entry = ch.members.get(presenceUserId);
                if (entry != null && --entry.connections == 0) {
                    ch.members.remove(presenceUserId);
                    removed = entry.member;
                    String frame = Frames.memberRemoved(name, presenceUserId);
                    for (Connection other : ch.subscribers) {
                        other.deliver(frame);
                    }
                }
            }
            vacated = dropIfEmpty(ch);
        }
        if (removed != null) {
            engine.memberRemoved(name, removed);
        }
        if (vacated) {
            engine.channelVacated(name);
        }
    }

    private boolean dropIfEmpty(LocalChannel ch) {
        if (ch.subscribers.length == 0 && !ch.removed) {
            ch.removed = true;
            channels.remove(ch.name, ch);
            return true;
        }
        return false;
    }

    /** Delivers a ready frame to the local subscribers of {@code name} except one socket; returns how many got it. */
    int publishLocal(String name, String frame, String exceptSocketId) {
        if (ChannelType.of(name).isCache()) {
            cache.put(name, new Cached(frame, System.nanoTime() + cacheTtlNanos));
        }
        LocalChannel ch = channels.get(name);
        if (ch == null) {
            return 0;
        }
        Connection[] subs = ch.subscribers;
        int delivered = 0;
        if (exceptSocketId == null) {
            for (Connection c : subs) {
                c.deliver(frame);
            }
            return subs.length;
        }
        for (Connection c : subs) {
            if (!exceptSocketId.equals(c.socketId)) {
                c.deliver(frame);
                delivered++;
            }
        }
        return delivered;
    }

    boolean isOccupied(String name) {
        return channels.containsKey(name);
    }

    List<Member> members(String name) {
        LocalChannel ch = channels.get(name);
        if (ch == null || !ch.type.isPresence()) {
            return List.of();
        }
        synchronized (ch) {
            List<Member> list = new ArrayList<>(ch.members.size());
            for (LocalChannel.PresenceEntry e : ch.members.values()) {
                list.add(e.member);
            }
            return List.copyOf(list);
        }
    }

    ChannelInfo info(String name) {
        LocalChannel ch = channels.get(name);
        if (ch == null) {
            return new ChannelInfo(name, false, 0, 0);
        }
        synchronized (ch) {
            int subs = ch.subscribers.length;
            return new ChannelInfo(name, subs > 0, subs, ch.members.size());
        }
    }

    Map<String, ChannelInfo> infos(String prefix) {
        Map<String, ChannelInfo> result = new TreeMap<>();
        for (String name : channels.keySet()) {
            if (name.startsWith(prefix) && !name.startsWith(ChannelType.SERVER_TO_USER_PREFIX)) {
                ChannelInfo info = info(name);
                if (info.occupied()) {
                    result.put(name, info);
                }
            }
        }
        return result;
    }

    /** Presence user ids of a channel that equal {@code userId}: used to find a user's presence connections. */
    List<Connection> presenceConnections(String userId) {
        List<Connection> result = new ArrayList<>();
        for (LocalChannel ch : channels.values()) {
            if (!ch.type.isPresence()) {
                continue;
            }
            synchronized (ch) {
                if (!ch.members.containsKey(userId)) {
                    continue;
                }
                for (Connection c : ch.subscribers) {
                    if (userId.equals(c.presenceUserId(ch.name))) {
                        result.add(c);
                    }
                }
            }
        }
        return result;
    }

    Iterable<String> names() {
        return channels.keySet();
    }

    void expireCache(long now) {
        cache.values().removeIf(c -> c.expiresAtNanos - now <= 0);
    }
}
