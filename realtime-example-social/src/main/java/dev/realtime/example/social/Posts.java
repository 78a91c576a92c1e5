package dev.realtime.example.social;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The posts and likes tables. Each query names the index it reads. */
@Repository
class Posts {
    /** A post's author as a post shows it. */
    record Author(long id, String name, String username, boolean verified) {
    }

    /** A post as the API and the broadcasts show it; {@code liked} is the viewer's. */
    record Post(long id, @JsonProperty("user_id") long userId, String content, @JsonProperty("created_at") String createdAt,
            @JsonProperty("likes_count") int likesCount, @JsonProperty("is_liked") boolean liked, Author user) {

        Post liked(boolean value) {
            return new Post(id, userId, content, createdAt, likesCount, value, user);
        }
    }

    /** A post with what deciding its visibility needs. */
    record Visible(Post post, boolean authorPrivate) {
    }

    private static final String POST_COLUMNS =
            "p.id, p.user_id, p.content, p.created_at, p.likes_count, u.name, u.username, u.verified";

    private final JdbcClient jdbc;

    Posts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Published posts of {@code authors} since {@code since}, newest first (posts_timeline_idx per author,
     * users primary key for the author).
     */
    List<Post> timeline(Collection<Long> authors, Instant since, int limit, int offset) {
        return jdbc.sql("SELECT " + POST_COLUMNS + " FROM posts p JOIN users u ON u.id = p.user_id "
                        + "WHERE p.user_id IN (:authors) AND p.published = TRUE AND p.created_at >= :since "
                        + "ORDER BY p.created_at DESC, p.id DESC LIMIT :limit OFFSET :offset")
                .param("authors", authors).param("since", Sql.at(since)).param("limit", limit).param("offset", offset)
                .query((rs, n) -> post(rs)).list();
    }

    /** One published post and whether its author is private (primary keys). */
    Optional<Visible> find(long postId) {
        return jdbc.sql("SELECT " + POST_COLUMNS + ", u.is_private FROM posts p JOIN users u ON u.id = p.user_id "
                        + "WHERE p.id = ? AND p.published = TRUE")
                .param(postId).query((rs, n) -> new Visible(post(rs), rs.getBoolean("is_private"))).optional();
    }

    /** Which of {@code postIds} {@code userId} liked, in one query (likes primary key). */
    Set<Long> likedAmong(long userId, Collection<Long> postIds) {
        if (postIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT post_id FROM likes WHERE user_id = :user AND post_id IN (:posts)")
                .param("user", userId).param("posts", postIds).query(Long.class).list());
    }

    long insert(long userId, String content, Instant now) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("INSERT INTO posts (user_id, content, published, likes_count, created_at) VALUES (?, ?, TRUE, 0, ?)")
                .params(userId, content, Sql.at(now)).update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    /** Adds a like; false when the user had liked it already. */
    boolean like(long userId, long postId, Instant now) {
        return jdbc.sql("INSERT INTO likes (user_id, post_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(userId, postId, Sql.at(now)).update() == 1;
    }

    /** Removes a like; false when there was none. */
    boolean unlike(long userId, long postId) {
        return jdbc.sql("DELETE FROM likes WHERE user_id = ? AND post_id = ?").params(userId, postId).update() == 1;
    }

    /** Moves the count by {@code delta} in the row itself, so concurrent likes lose no update. */
    void addLikes(long postId, int delta) {
        jdbc.sql("UPDATE posts SET likes_count = likes_count + ? WHERE id = ?").params(delta, postId).update();
    }

    int likesCount(long postId) {
        return jdbc.sql("SELECT likes_count FROM posts WHERE id = ?").param(postId).query(Integer.class).single();
    }

    private static Post post(ResultSet rs) throws SQLException {
        return new Post(rs.getLong("id"), rs.getLong("user_id"), rs.getString("content"),
                Sql.iso(Sql.instant(rs, "created_at")), rs.getInt("likes_count"), false,
                new Author(rs.getLong("user_id"), rs.getString("name"), rs.getString("username"), rs.getBoolean("verified")));
    }
}
