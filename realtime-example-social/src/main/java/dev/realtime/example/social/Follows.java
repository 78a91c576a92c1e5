package dev.realtime.example.social;

import java.time.Clock;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Who follows whom. A user's following ids are cached ({@code social.following-ttl}, 1 hour) and dropped
 * when that user follows or unfollows; the cache is this node's own.
 */
@Service
class Follows {
    private final JdbcClient jdbc;
    private final Clock clock;
    private final TtlCache<Long, List<Long>> following;

    Follows(JdbcClient jdbc, Clock clock, SocialProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.following = new TtlCache<>(clock, properties.followingTtl(), 100_000);
    }

    /** The ids {@code userId} follows (primary key follower_id, followed_id), cached. */
    List<Long> followingIds(long userId) {
        return following.get(userId, id -> List.copyOf(jdbc.sql("SELECT followed_id FROM follows WHERE follower_id = ?")
                .param(id).query(Long.class).list()));
    }

    /** The ids following {@code userId} (follows_followed_idx): the fan-out of their posts. */
    List<Long> followerIds(long userId) {
        return jdbc.sql("SELECT follower_id FROM follows WHERE followed_id = ?").param(userId).query(Long.class).list();
    }

    boolean follows(long follower, long followed) {
        return jdbc.sql("SELECT 1 FROM follows WHERE follower_id = ? AND followed_id = ?").params(follower, followed)
                .query(Integer.class).optional().isPresent();
    }

    /** Follows; nothing happens when already following. */
    void follow(long follower, long followed) {
        jdbc.sql("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(follower, followed, Sql.at(clock.instant())).update();
        following.invalidate(follower);
    }

    void unfollow(long follower, long followed) {
        jdbc.sql("DELETE FROM follows WHERE follower_id = ? AND followed_id = ?").params(follower, followed).update();
        following.invalidate(follower);
    }
}
