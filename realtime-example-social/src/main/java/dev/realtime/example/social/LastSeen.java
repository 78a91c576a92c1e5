package dev.realtime.example.social;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/** Records that a user was seen: every authenticated request, written at most once a minute per user. */
@Service
class LastSeen {
    private final Users users;
    private final Clock clock;
    private final Duration writeEvery;
    private final Map<Long, Instant> written = new ConcurrentHashMap<>();

    LastSeen(Users users, Clock clock, SocialProperties properties) {
        this.users = users;
        this.clock = clock;
        this.writeEvery = properties.lastSeenWriteEvery();
    }

    void seen(long userId) {
        Instant now = clock.instant();
        Instant last = written.get(userId);
        if (last != null && now.isBefore(last.plus(writeEvery))) {
            return;
        }
        // only the thread that wins the replace writes, so a burst of requests costs one UPDATE
        boolean won = last == null ? written.putIfAbsent(userId, now) == null : written.replace(userId, last, now);
        if (won) {
            users.touch(userId, now);
        }
    }

    /** Forgets when a user was written, after another path (a status change) wrote last_seen_at itself. */
    void written(long userId, Instant at) {
        written.put(userId, at);
    }
}
