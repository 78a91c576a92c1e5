package dev.realtime.example.social;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Benchmark data ({@code --seed-users N --seed-posts N}): generated users {@code bench1…} (password demo,
 * every permission, each following the next ten, the first thousand following alice) and posts spread over
 * the last 4 hours, added until there are that many.
 */
@Component
class BenchData {
    private static final Logger LOG = LoggerFactory.getLogger(BenchData.class);
    private static final int BATCH = 1000;
    static final int ALICE_FOLLOWERS = 1000;
    /** The generated users, as a range of users_username_key (LIKE 'bench%' cannot use it under a non-C collation). */
    private static final String GENERATED = "username >= 'bench' AND username < 'benci'";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final Clock clock;

    BenchData(JdbcClient jdbc, JdbcTemplate batch, Clock clock) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.clock = clock;
    }

    void seed(SocialProperties.Seed seed) {
        if (seed.users() <= 0 && seed.posts() <= 0) {
            return;
        }
        Instant now = clock.instant();
        int users = jdbc.sql("SELECT COUNT(*) FROM users WHERE " + GENERATED).query(Integer.class).single();
        if (users < seed.users()) {
            addUsers(users + 1, seed.users(), now);
        }
        List<Long> ids = jdbc.sql("SELECT id FROM users WHERE " + GENERATED + " ORDER BY id").query(Long.class).list();
        int posts = jdbc.sql("SELECT COUNT(*) FROM posts").query(Integer.class).single();
        if (posts < seed.posts() && !ids.isEmpty()) {
            addPosts(ids, seed.posts() - posts, now);
        }
        // fresh statistics (PostgreSQL and H2 both take ANALYZE): without them the planner guesses from an empty
        // table until autovacuum comes by, and the first minutes of a benchmark measure bad plans
        jdbc.sql("ANALYZE").update();
        LOG.info("benchmark data: {} generated users, {} posts", ids.size(), Math.max(posts, seed.posts()));
    }

    private void addUsers(int from, int to, Instant now) {
        // cost 4, not 10: a benchmark logs in thousands of generated users, and BCrypt reads the cost from the hash
        String hash = new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4).encode(DemoData.PASSWORD);
        List<Object[]> rows = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            rows.add(new Object[] {"bench" + i, "Bench User " + i, hash, Avatars.url("bench" + i), Sql.at(now)});
            if (rows.size() == BATCH || i == to) {
                batch.batchUpdate("INSERT INTO users (username, name, password_hash, avatar, verified, is_private, status, "
                        + "is_online, created_at) VALUES (?, ?, ?, ?, FALSE, FALSE, 'offline', FALSE, ?)", rows);
                rows.clear();
            }
        }
        List<Long> ids = jdbc.sql("SELECT id FROM users WHERE " + GENERATED + " ORDER BY id").query(Long.class).list();
        long alice = jdbc.sql("SELECT id FROM users WHERE username = 'alice'").query(Long.class).single();
        List<Object[]> perms = new ArrayList<>();
        List<Object[]> follows = new ArrayList<>();
        for (int i = from - 1; i < ids.size(); i++) {
            long id = ids.get(i);
            for (String p : DemoData.PERMISSIONS) {
                perms.add(new Object[] {id, p});
            }
            for (int k = 1; k <= Math.min(10, ids.size() - 1); k++) {
                follows.add(new Object[] {id, ids.get((i + k) % ids.size()), Sql.at(now)});
            }
            if (i < ALICE_FOLLOWERS) {
                follows.add(new Object[] {id, alice, Sql.at(now)});
            }
        }
        batch.batchUpdate("INSERT INTO user_permissions (user_id, permission) VALUES (?, ?)", perms, BATCH,
                (ps, row) -> { ps.setObject(1, row[0]); ps.setObject(2, row[1]); });
        batch.batchUpdate("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                follows, BATCH, (ps, row) -> { ps.setObject(1, row[0]); ps.setObject(2, row[1]); ps.setObject(3, row[2]); });
    }

    private void addPosts(List<Long> authors, int count, Instant now) {
        List<Object[]> rows = new ArrayList<>();
        long window = Duration.ofHours(4).toSeconds();
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {authors.get(i % authors.size()), "generated post " + i,
                    Sql.at(now.minusSeconds((i * 7919L) % window))});
            if (rows.size() == BATCH || i == count - 1) {
                batch.batchUpdate("INSERT INTO posts (user_id, content, published, likes_count, created_at) VALUES (?, ?, TRUE, 0, ?)", rows);
                rows.clear();
            }
        }
    }
}
