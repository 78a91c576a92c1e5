package dev.realtime.example.social;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The users table and what hangs off it (tokens, permissions). Each query names the index it reads:
 * the primary key, users_username_key, users_online_idx, or the primary keys of api_tokens and user_permissions.
 */
@Repository
class Users {
    /** What login needs. */
    record Login(long id, String name, String username, String passwordHash) {
    }

    /** One row of the online-users list, as the API shows it. */
    record Online(long id, String name, String username, String avatar, boolean verified,
            @JsonProperty("verification_type") String verificationType, @JsonProperty("is_online") boolean online,
            @JsonProperty("last_seen_at") String lastSeenAt) {
    }

    /** A user's presence state. */
    record Status(long id, boolean isOnline, Instant lastSeenAt) {
    }

    private final JdbcClient jdbc;

    Users(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Login> login(String username) {
        return jdbc.sql("SELECT id, name, username, password_hash FROM users WHERE username = ?")
                .param(username)
                .query((rs, n) -> new Login(rs.getLong("id"), rs.getString("name"), rs.getString("username"),
                        rs.getString("password_hash")))
                .optional();
    }

    void saveToken(String tokenHash, long userId, Instant now) {
        jdbc.sql("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)")
                .params(tokenHash, userId, Sql.at(now)).update();
    }

    /** The user holding the token with this hash (api_tokens primary key, then users primary key). */
    Optional<Viewer> byTokenHash(String tokenHash) {
        return jdbc.sql("SELECT u.id, u.name, u.username, u.avatar FROM api_tokens t JOIN users u ON u.id = t.user_id "
                        + "WHERE t.token_hash = ?")
                .param(tokenHash)
                .query((rs, n) -> new Viewer(rs.getLong("id"), rs.getString("name"), rs.getString("username"),
                        rs.getString("avatar"), Set.of()))
                .optional()
                .map(v -> new Viewer(v.id(), v.name(), v.username(), v.avatar(), Set.copyOf(permissions(v.id()))));
    }

    List<String> permissions(long userId) {
        return jdbc.sql("SELECT permission FROM user_permissions WHERE user_id = ?").param(userId)
                .query(String.class).list();
    }

    Optional<Status> status(long id) {
        return jdbc.sql("SELECT id, is_online, last_seen_at FROM users WHERE id = ?").param(id)
                .query((rs, n) -> new Status(rs.getLong("id"), rs.getBoolean("is_online"), Sql.instant(rs, "last_seen_at")))
                .optional();
    }

    /** Whether the user is private; empty for an unknown user. */
    Optional<Boolean> isPrivate(long id) {
        return jdbc.sql("SELECT is_private FROM users WHERE id = ?").param(id).query(Boolean.class).optional();
    }

    /** Sets the status the user chose; false for an unknown user. */
    boolean setStatus(long id, String status, boolean online, Instant now) {
        return jdbc.sql("UPDATE users SET status = ?, is_online = ?, last_seen_at = ? WHERE id = ?")
                .params(status, online, Sql.at(now), id).update() == 1;
    }

    /** Marks an offline user online; false when already online (so only one node broadcasts it). */
    boolean markOnline(long id, Instant now) {
        return jdbc.sql("UPDATE users SET status = 'online', is_online = TRUE, last_seen_at = ? WHERE id = ? AND is_online = FALSE")
                .params(Sql.at(now), id).update() == 1;
    }

    /** Marks an online user offline; false when already offline. */
    boolean markOffline(long id) {
        return jdbc.sql("UPDATE users SET status = 'offline', is_online = FALSE WHERE id = ? AND is_online = TRUE")
                .param(id).update() == 1;
    }

    void touch(long id, Instant now) {
        jdbc.sql("UPDATE users SET last_seen_at = ? WHERE id = ?").params(Sql.at(now), id).update();
    }

    /** Users online and seen since {@code since}, most recently seen first (users_online_idx). */
    List<Online> online(Instant since, int limit) {
        return jdbc.sql("SELECT id, name, username, avatar, verified, verification_type, is_online, last_seen_at FROM users "
                        + "WHERE is_online = TRUE AND last_seen_at >= ? ORDER BY last_seen_at DESC LIMIT ?")
                .params(Sql.at(since), limit)
                .query((rs, n) -> new Online(rs.getLong("id"), rs.getString("name"), rs.getString("username"),
                        rs.getString("avatar"), rs.getBoolean("verified"), rs.getString("verification_type"),
                        rs.getBoolean("is_online"), Sql.iso(Sql.instant(rs, "last_seen_at"))))
                .list();
    }

    /** Online users not seen since {@code before} (users_online_idx). */
    List<Long> staleOnline(Instant before) {
        return jdbc.sql("SELECT id FROM users WHERE is_online = TRUE AND last_seen_at < ?").param(Sql.at(before))
                .query(Long.class).list();
    }
}
