package dev.realtime.internal;

import dev.realtime.ChannelType;
import java.util.LinkedHashSet;

/**
 * One channel's local subscribers: a set in subscription order for changes and lookups (O(1), so a
 * reconnect storm of N clients onto one channel is O(N), not O(N²)), and an array snapshot that
 * fan-out reads without a lock, rebuilt on the first read after a change. Changes happen under the
 * channel's lock in {@link Channels}; the set is also guarded by this object's monitor, which only a
 * change and a rebuild contend for.
 */
final class LocalChannel {
    static final Connection[] NONE = new Connection[0];

    final String name;
    final ChannelType type;
    private final LinkedHashSet<Connection> members = new LinkedHashSet<>();
    /** The members as an array for fan-out; null after a change until the next read. */
    private volatile Connection[] snapshot = NONE;

    LocalChannel(String name, ChannelType type) {
        this.name = name;
        this.type = type;
    }

    /** Adds a subscriber (caller holds the channel's lock). */
    synchronized void add(Connection c) {
        if (members.add(c)) {
            snapshot = null;
        }
    }

    /** Removes a subscriber (caller holds the channel's lock); false when it was not subscribed. */
    synchronized boolean remove(Connection c) {
        if (!members.remove(c)) {
            return false;
        }
        snapshot = null;
        return true;
    }

    synchronized boolean contains(Connection c) {
        return members.contains(c);
    }

    synchronized int size() {
        return members.size();
    }

    /** The subscribers in subscription order, as of the last change; the caller must not modify the array. */
    Connection[] subscribers() {
        Connection[] s = snapshot;
        return s != null ? s : rebuild();
    }

    private synchronized Connection[] rebuild() {
        Connection[] s = snapshot;
        if (s == null) {
            s = members.isEmpty() ? NONE : members.toArray(NONE);
            snapshot = s;
        }
        return s;
    }

    /** Delivers {@code frame} to every subscriber but the one with {@code exceptSocketId} (null: all). */
    void deliverExcept(String frame, String exceptSocketId) {
        for (Connection c : subscribers()) {
            if (exceptSocketId == null || !exceptSocketId.equals(c.socketId)) {
                c.deliver(frame);
            }
        }
    }
}
