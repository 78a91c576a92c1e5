package dev.realtime.internal;

import dev.realtime.ChannelType;
import dev.realtime.Member;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One channel's local state. The subscriber array is copy-on-write: fan-out reads it without a
 * lock; every change happens under the channel's monitor.
 */
final class LocalChannel {
    static final Connection[] NONE = new Connection[0];

    final String name;
    final ChannelType type;
    /** Subscribers in subscription order; replaced, never mutated. */
    volatile Connection[] subscribers = NONE;
    /** Set once the channel was emptied and dropped from the registry (guarded by this). */
    boolean removed;
    /** Presence members by user id, in join order (guarded by this). */
    final Map<String, PresenceEntry> members;

    /** One user's presence: the member shown to others and how many of its connections are in. */
    static final class PresenceEntry {
        final Member member;
        final String userInfoJson;
        int connections;

        PresenceEntry(Member member, String userInfoJson) {
            this.member = member;
            this.userInfoJson = userInfoJson;
        }
    }

    LocalChannel(String name, ChannelType type) {
        this.name = name;
        this.type = type;
        this.members = type.isPresence() ? new LinkedHashMap<>() : Map.of();
    }

    /** Adds a subscriber (caller holds the monitor). */
    void add(Connection c) {
        Connection[] old = subscribers;
        Connection[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = c;
        subscribers = next;
    }

    /** Removes a subscriber (caller holds the monitor); false when it was not subscribed. */
    boolean remove(Connection c) {
        Connection[] old = subscribers;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == c) {
                Connection[] next = new Connection[old.length - 1];
                System.arraycopy(old, 0, next, 0, i);
                System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                subscribers = next;
                return true;
            }
        }
        return false;
    }

    boolean contains(Connection c) {
        for (Connection s : subscribers) {
            if (s == c) {
                return true;
            }
        }
        return false;
    }

    /** The {@code subscription_succeeded} data of a presence channel (caller holds the monitor). */
    String presenceJson() {
        StringBuilder ids = new StringBuilder("[");
        StringBuilder hash = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, PresenceEntry> e : members.entrySet()) {
            if (!first) {
                ids.append(',');
                hash.append(',');
            }
            first = false;
            Json.quote(ids, e.getKey());
            Json.quote(hash, e.getKey()).append(':').append(e.getValue().userInfoJson);
        }
        return "{\"presence\":{\"ids\":" + ids.append(']') + ",\"hash\":" + hash.append('}') + ",\"count\":"
                + members.size() + "}}";
    }
}
