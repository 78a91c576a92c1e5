package dev.realtime.internal;

import dev.realtime.ChannelType;
import java.util.Arrays;

/**
 * One channel's local subscribers. The array is copy-on-write: fan-out reads it without a lock;
 * every change happens under the channel's lock in {@link Channels}.
 */
final class LocalChannel {
    static final Connection[] NONE = new Connection[0];

    final String name;
    final ChannelType type;
    /** Subscribers in subscription order; replaced, never mutated. */
    volatile Connection[] subscribers = NONE;

    LocalChannel(String name, ChannelType type) {
        this.name = name;
        this.type = type;
    }

    /** Adds a subscriber (caller holds the channel's lock). */
    void add(Connection c) {
        Connection[] old = subscribers;
        Connection[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = c;
        subscribers = next;
    }

    /** Removes a subscriber (caller holds the channel's lock); false when it was not subscribed. */
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

    /** Delivers {@code frame} to every subscriber but the one with {@code exceptSocketId} (null: all). */
    void deliverExcept(String frame, String exceptSocketId) {
        for (Connection c : subscribers) {
            if (exceptSocketId == null || !exceptSocketId.equals(c.socketId)) {
                c.deliver(frame);
            }
        }
    }
}
