package dev.realtime.internal;

import dev.realtime.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence in one place: for each presence channel, each user's entries — the connections that hold
 * the user there, each tagged with the node that owns it. A user is a member while it has at least
 * one entry, whatever node the entries come from: {@link #add} says when a user's first entry
 * appeared ({@code member_added}), {@link #remove} and {@link #removeNode} when the last one went
 * ({@code member_removed}). Members are kept in join order with the {@code user_info} of their first
 * entry. Thread-safe: each channel's state is guarded by its own monitor; callers that must keep
 * frames in order with membership changes (Channels) call in under their own channel lock.
 */
final class PresenceRegistry {
    /** What {@link #add} did. */
    enum Added {
        /** The user's first entry in the channel: it just became a member. */
        MEMBER_ADDED,
        /** Another entry of a user who already was a member. */
        ENTRY_ADDED,
        /** The channel has {@code maxMembers} members and this user is not one: nothing was added. */
        FULL
    }

    /** A member whose last entry went away, with the channel it left. */
    record Removal(String channel, Member member) {
    }

    /** One entry as a node holds it: for digests and full syncs between nodes. */
    record Held(String channel, String userId, String socketId, String userInfoJson) {
    }

    /** One entry: a connection (by socket id) on a node. */
    private record Entry(String socketId, String nodeId) {
    }

    private static final class UserPresence {
        final Member member;
        final String userInfoJson;
        final Set<Entry> entries = new LinkedHashSet<>();

        UserPresence(Member member, String userInfoJson) {
            this.member = member;
            this.userInfoJson = userInfoJson;
        }
    }

    /** One channel's members in join order; guarded by its own monitor, dropped from the map when emptied. */
    private static final class ChannelPresence {
        final Map<String, UserPresence> users = new LinkedHashMap<>();
        boolean dropped;
    }

    private final ConcurrentHashMap<String, ChannelPresence> channels = new ConcurrentHashMap<>();

    /**
     * Adds the entry ({@code channel}, {@code member.userId()}) held by {@code socketId} on {@code nodeId}.
     * {@code maxMembers} bounds distinct users; entries of existing members always fit.
     */
    Added add(String channel, Member member, String userInfoJson, String socketId, String nodeId, int maxMembers) {
        while (true) {
            ChannelPresence p = channels.computeIfAbsent(channel, k -> new ChannelPresence());
            synchronized (p) {
                if (p.dropped) {
                    continue; // emptied and dropped meanwhile: take the new one
                }
                UserPresence user = p.users.get(member.userId());
                if (user == null) {
                    if (p.users.size() >= maxMembers) {
                        dropIfEmpty(channel, p);
                        return Added.FULL;
                    }
                    user = new UserPresence(member, userInfoJson);
                    p.users.put(member.userId(), user);
                    user.entries.add(new Entry(socketId, nodeId));
                    return Added.MEMBER_ADDED;
                }
                user.entries.add(new Entry(socketId, nodeId));
                return Added.ENTRY_ADDED;
            }
        }
    }

    /** Removes one entry; returns the member when it was the user's last one in the channel, else null. */
    Member remove(String channel, String userId, String socketId, String nodeId) {
        ChannelPresence p = channels.get(channel);
        if (p == null) {
            return null;
        }
        synchronized (p) {
            UserPresence user = p.users.get(userId);
            if (user == null || !user.entries.remove(new Entry(socketId, nodeId)) || !user.entries.isEmpty()) {
                return null;
            }
            p.users.remove(userId);
            dropIfEmpty(channel, p);
            return user.member;
        }
    }

    /** Removes every entry owned by {@code nodeId} (a node that left the cluster); returns the members that went with them. */
    List<Removal> removeNode(String nodeId) {
        List<Removal> removed = new ArrayList<>();
        for (Map.Entry<String, ChannelPresence> e : channels.entrySet()) {
            ChannelPresence p = e.getValue();
            synchronized (p) {
                for (var it = p.users.values().iterator(); it.hasNext(); ) {
                    UserPresence user = it.next();
                    if (user.entries.removeIf(entry -> entry.nodeId().equals(nodeId)) && user.entries.isEmpty()) {
                        it.remove();
                        removed.add(new Removal(e.getKey(), user.member));
                    }
                }
                dropIfEmpty(e.getKey(), p);
            }
        }
        return removed;
    }

    /** Every entry owned by {@code nodeId}, with the user_info each user is shown with. */
    List<Held> entriesOf(String nodeId) {
        List<Held> held = new ArrayList<>();
        for (Map.Entry<String, ChannelPresence> e : channels.entrySet()) {
            ChannelPresence p = e.getValue();
            synchronized (p) {
                for (Map.Entry<String, UserPresence> u : p.users.entrySet()) {
                    for (Entry entry : u.getValue().entries) {
                        if (entry.nodeId().equals(nodeId)) {
                            held.add(new Held(e.getKey(), u.getKey(), entry.socketId(), u.getValue().userInfoJson));
                        }
                    }
                }
            }
        }
        return held;
    }

    private void dropIfEmpty(String channel, ChannelPresence p) {
        if (p.users.isEmpty() && !p.dropped) {
            p.dropped = true;
            channels.remove(channel, p);
        }
    }

    /** The members of {@code channel} in join order. */
    List<Member> members(String channel) {
        ChannelPresence p = channels.get(channel);
        if (p == null) {
            return List.of();
        }
        synchronized (p) {
            List<Member> list = new ArrayList<>(p.users.size());
            for (UserPresence u : p.users.values()) {
                list.add(u.member);
            }
            return List.copyOf(list);
        }
    }

    /** How many distinct users are members of {@code channel}. */
    int count(String channel) {
        ChannelPresence p = channels.get(channel);
        if (p == null) {
            return 0;
        }
        synchronized (p) {
            return p.users.size();
        }
    }

    /** Whether {@code userId} is a member of {@code channel}. */
    boolean isMember(String channel, String userId) {
        ChannelPresence p = channels.get(channel);
        if (p == null) {
            return false;
        }
        synchronized (p) {
            return p.users.containsKey(userId);
        }
    }

    /** The {@code subscription_succeeded} data of a presence channel: {@code {"presence":{"ids","hash","count"}}}. */
    String presenceJson(String channel) {
        StringBuilder ids = new StringBuilder("[");
        StringBuilder hash = new StringBuilder("{");
        int count = 0;
        ChannelPresence p = channels.get(channel);
        if (p != null) {
            synchronized (p) {
                for (Map.Entry<String, UserPresence> e : p.users.entrySet()) {
                    if (count++ > 0) {
                        ids.append(',');
                        hash.append(',');
                    }
                    Json.quote(ids, e.getKey());
                    Json.quote(hash, e.getKey()).append(':').append(e.getValue().userInfoJson);
                }
            }
        }
        return "{\"presence\":{\"ids\":" + ids.append(']') + ",\"hash\":" + hash.append('}') + ",\"count\":" + count + "}}";
    }
}
