package dev.realtime.example.social;

import dev.realtime.Realtime;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Users' online status: set by the user, by presence and by the offline sweep. Every change commits,
 * then drops the cached online-users list and broadcasts {@code user.status} on presence-online-users.
 */
@Service
class UserStatus {
    private static final Logger LOG = LoggerFactory.getLogger(UserStatus.class);
    static final Set<String> STATUSES = Set.of("online", "offline", "away");

    private final Users users;
    private final Realtime realtime;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final LastSeen lastSeen;
    private final SocialProperties properties;
    private final TtlCache<String, List<Users.Online>> onlineCache;

    UserStatus(Users users, Realtime realtime, Clock clock, TransactionTemplate tx, LastSeen lastSeen,
            SocialProperties properties) {
        this.users = users;
        this.realtime = realtime;
        this.clock = clock;
        this.tx = tx;
        this.lastSeen = lastSeen;
        this.properties = properties;
        this.onlineCache = new TtlCache<>(clock, properties.onlineUsersTtl(), 1);
    }

    /** The user's chosen status; 422 naming the field for anything but online, offline or away. */
    Map<String, Object> set(Viewer viewer, String status) {
        if (status == null || !STATUSES.contains(status)) {
            throw ApiException.invalid("status", "status must be one of online, offline, away");
        }
        Instant now = clock.instant();
        boolean online = !status.equals("offline");
        // The broadcast and the cache drop come after the commit: a client must not hear of a status the
        // database may still roll back, and a reader must not re-cache the old row before the commit.
        tx.executeWithoutResult(s -> users.setStatus(viewer.id(), status, online, now));
        lastSeen.written(viewer.id(), now);
        changed(viewer.id(), status, now);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "updated");
        body.put("user_id", viewer.id());
        body.put("is_online", online);
        body.put("last_seen_at", Sql.iso(now));
        return body;
    }

    /** Marks a user online (presence joined); broadcasts only when they were offline. */
    void markOnline(long userId) {
        Instant now = clock.instant();
        if (users.markOnline(userId, now)) {
            lastSeen.written(userId, now);
            changed(userId, "online", now);
        }
    }

    /** Marks a user offline (presence left, or not seen); broadcasts only when they were online. */
    void markOffline(long userId) {
        if (users.markOffline(userId)) {
            changed(userId, "offline", clock.instant());
        }
    }

    /** Users online and seen in the last {@code social.offline-after}, cached for {@code social.online-users-ttl}. */
    List<Users.Online> online() {
        return onlineCache.get("all", k -> List.copyOf(
                users.online(clock.instant().minus(properties.offlineAfter()), properties.onlineUsersLimit())));
    }

    private void changed(long userId, String status, Instant at) {
        onlineCache.invalidateAll();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("user_id", userId);
        event.put("status", status);
        event.put("timestamp", Sql.iso(at));
        realtime.broadcast(Channels.ONLINE_USERS, Channels.USER_STATUS, event);
        LOG.debug("user {} is {}", userId, status);
    }
}
