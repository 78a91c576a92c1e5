package dev.realtime.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signed-in connections of each user on this node; an emptied user is dropped. Thread-safe.
 * A user's first and last local connection change the node's interest in the user's broker topic.
 */
final class UserRegistry {
    /** Each set is guarded by its own monitor; a set removed from the map is never used again. */
    private final ConcurrentHashMap<String, Set<Connection>> users = new ConcurrentHashMap<>();
    private final Interest interest;

    /** Told the broker topic of a user whose local presence may have changed. */
    interface Interest {
        void changed(String topic);
    }

    UserRegistry(Interest interest) {
        this.interest = interest;
    }

    /** Signs {@code c} in as {@code userId}; null when done (or already so), else why not (too many connections). */
    String signIn(Connection c, String userId, int maxConnectionsPerUser) {
        String previous = c.userId();
        if (userId.equals(previous)) {
            return null;
        }
        if (!add(userId, c, maxConnectionsPerUser)) {
            return "user " + userId + " already has " + maxConnectionsPerUser + " connections";
        }
        if (previous != null) {
            signOut(c, previous);
        }
        c.userId(userId);
        interest.changed(Topics.user(userId));
        return null;
    }

    /** Forgets {@code c} as a connection of {@code userId}. */
    void signOut(Connection c, String userId) {
        if (remove(userId, c)) {
            interest.changed(Topics.user(userId));
        }
    }

    /** Adds {@code c} to the user's connections; false when the user already has {@code max}. */
    boolean add(String userId, Connection c, int max) {
        while (true) {
            Set<Connection> set = users.computeIfAbsent(userId, k -> new LinkedHashSet<>());
            synchronized (set) {
                if (users.get(userId) != set) {
                    continue; // emptied and dropped by remove() meanwhile: take the new one
                }
                if (set.contains(c)) {
                    return true;
                }
                if (set.size() >= max) {
                    return false;
                }
                set.add(c);
                return true;
            }
        }
    }

    /** Removes {@code c}; true when it was the user's last connection here. */
    boolean remove(String userId, Connection c) {
        Set<Connection> set = users.get(userId);
        if (set == null) {
            return false;
        }
        synchronized (set) {
            if (!set.remove(c) || !set.isEmpty()) {
                return false;
            }
            users.remove(userId, set);
            return true;
        }
    }

    /** A snapshot of the user's connections. */
    List<Connection> connections(String userId) {
        Set<Connection> set = users.get(userId);
        if (set == null) {
            return List.of();
        }
        synchronized (set) {
            return List.copyOf(set);
        }
    }

    /** Whether the user has a signed-in connection here. */
    boolean has(String userId) {
        return users.containsKey(userId);
    }
}
