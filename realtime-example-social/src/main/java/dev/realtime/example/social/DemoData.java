package dev.realtime.example.social;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The demo users, follows and posts, written once, on the first start against an empty database (in one
 * transaction: a second instance starting at the same time fails on the unique username and finds the data).
 */
@Component
class DemoData {
    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);
    static final String PASSWORD = "demo";
    static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
            "judy", "mallory", "trent");
    static final List<String> PERMISSIONS = List.of(Viewer.STATUS_UPDATE, Viewer.USERS_VIEW, Viewer.TIMELINE_VIEW);
    /** Minutes before the first start at which each user posted: three within the timeline's 2 hours, two before. */
    private static final int[] POST_AGES = {5, 45, 100, 150, 300};
    private static final String[] TOPICS = {"coffee", "the build", "a new book", "the weather", "realtime apps", "lunch",
            "a bug I fixed", "the weekend"};

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate tx;

    DemoData(JdbcClient jdbc, Clock clock, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.tx = tx;
    }

    /** Seeds the demo when alice is missing; returns whether it did. */
    boolean seedIfEmpty() {
        if (jdbc.sql("SELECT id FROM users WHERE username = 'alice'").query(Long.class).optional().isPresent()) {
            return false;
        }
        tx.executeWithoutResult(s -> seed());
        LOG.info("seeded the demo data: {} users (password '{}')", USERS.size(), PASSWORD);
        return true;
    }

    private void seed() {
        Instant now = clock.instant();
        String hash = AuthController.PASSWORDS.encode(PASSWORD);
        Map<String, Long> ids = new java.util.HashMap<>();
        for (int i = 0; i < USERS.size(); i++) {
            String username = USERS.get(i);
            String name = Character.toUpperCase(username.charAt(0)) + username.substring(1);
            boolean verified = i < 3;
            GeneratedKeyHolder key = new GeneratedKeyHolder();
            jdbc.sql("INSERT INTO users (username, name, password_hash, avatar, verified, verification_type, is_private, "
                            + "status, is_online, last_seen_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'offline', FALSE, ?, ?)")
                    .params(username, name, hash, Avatars.url(username), verified, verified ? "blue" : null,
                            username.equals("mallory"), Sql.at(now.minus(Duration.ofHours(3))), Sql.at(now.minus(Duration.ofDays(30))))
                    .update(key, "id");
            long id = key.getKeyAs(Long.class);
            ids.put(username, id);
            for (String permission : PERMISSIONS) {
                if (!(username.equals("trent") && permission.equals(Viewer.TIMELINE_VIEW))) {
                    jdbc.sql("INSERT INTO user_permissions (user_id, permission) VALUES (?, ?)").params(id, permission).update();
                }
            }
            for (int age : POST_AGES) {
                int minutes = age + i;
                jdbc.sql("INSERT INTO posts (user_id, content, published, likes_count, created_at) VALUES (?, ?, TRUE, 0, ?)")
                        .params(id, name + " on " + TOPICS[(i + age) % TOPICS.length] + " (" + minutes + " min ago at seeding)",
                                Sql.at(now.minus(Duration.ofMinutes(minutes))))
                        .update();
            }
        }
        List<String[]> follows = new ArrayList<>(List.of(new String[] {"alice", "bob"}, new String[] {"alice", "carol"},
                new String[] {"bob", "alice"}));
        for (String[] f : follows) {
            jdbc.sql("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?)")
                    .params(ids.get(f[0]), ids.get(f[1]), Sql.at(now)).update();
        }
    }
}
