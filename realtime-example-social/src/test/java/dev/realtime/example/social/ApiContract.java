package dev.realtime.example.social;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Every endpoint and every error of the API, over HTTP against the app on a random port; run once on H2
 * ({@link H2ApiTest}) and once on PostgreSQL ({@link PostgresApiTest}). The clock moves a minute before each
 * test, so each test has its own rate-limit window.
 */
@SpringBootTest(classes = SocialApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"social.offline-sweep-millis=86400000", "logging.level.dev.realtime=WARN"})
@Import(TestClock.class)
@DirtiesContext
abstract class ApiContract {
    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    OfflineSweep sweep;

    Api api;

    @BeforeEach
    void nextMinute() {
        clock.advance(Duration.ofMinutes(1));
        api = new Api(port);
    }

    // --- login, tokens, config --------------------------------------------------------------------

    @Test
    void loginReturnsATokenAndTheUser() {
        Api.Reply reply = api.post("/api/login", null, Map.of("username", "alice", "password", "demo")).expect(200);
        assertThat(reply.get("token").asText()).hasSizeGreaterThan(30);
        assertThat(reply.get("user").get("username").asText()).isEqualTo("alice");
        assertThat(reply.get("user").get("name").asText()).isEqualTo("Alice");
        assertThat(reply.get("user").get("id").asLong()).isPositive();
        assertThat(api.get("/api/realtime/timeline", reply.get("token").asText()).status()).isEqualTo(200);
    }

    @Test
    void loginWithAWrongPasswordOrUnknownUserIs401() {
        Api.Reply wrong = api.post("/api/login", null, Map.of("username", "alice", "password", "nope")).expect(401);
        assertThat(wrong.get("error").asText()).contains("wrong username or password");
        api.post("/api/login", null, Map.of("username", "nobody", "password", "demo")).expect(401);
    }

    @Test
    void loginWithMalformedJsonIs400() {
        assertThat(api.post("/api/login", null, "{\"username\":").expect(400).get("error").asText()).isNotBlank();
    }

    @Test
    void everyEndpointAnswers401JsonWithoutAValidToken() {
        List<String[]> endpoints = List.of(new String[] {"POST", "/api/realtime/status"},
                new String[] {"GET", "/api/realtime/online-users"}, new String[] {"GET", "/api/realtime/users/1/status"},
                new String[] {"GET", "/api/realtime/timeline"}, new String[] {"GET", "/api/realtime/posts/1"},
                new String[] {"POST", "/api/posts"}, new String[] {"POST", "/api/posts/1/like"},
                new String[] {"DELETE", "/api/posts/1/like"}, new String[] {"POST", "/api/users/1/follow"},
                new String[] {"DELETE", "/api/users/1/follow"});
        for (String[] e : endpoints) {
            for (String token : new String[] {null, "not-a-token"}) {
                Api.Reply reply = api.send(e[0], e[1], token, e[0].equals("POST") ? Map.of("status", "online", "content", "x") : null);
                assertThat(reply.status()).as("%s %s with token %s", e[0], e[1], token).isEqualTo(401);
                assertThat(reply.get("error").asText()).contains("Bearer");
            }
        }
    }

    @Test
    void configNeedsNoTokenAndGivesEchoItsSettings() {
        JsonNode config = api.get("/api/config", null).expect(200).body();
        assertThat(config.get("key").asText()).isEqualTo("social-key");
        assertThat(config.get("wsHost").asText()).isEqualTo("127.0.0.1");
        assertThat(config.get("wsPort").asInt()).isEqualTo(port);
        assertThat(config.get("forceTLS").asBoolean()).isFalse();
        assertThat(config.get("authEndpoint").asText()).isEqualTo("/broadcasting/auth");
        assertThat(config.get("userAuthEndpoint").asText()).isEqualTo("/broadcasting/user-auth");
    }

    @Test
    void anUnknownApiPathIs404Json() {
        String token = api.login("alice");
        assertThat(api.get("/api/nothing-here", token).expect(404).get("error").asText()).contains("no such endpoint");
    }

    @Test
    void thePageAndItsScriptsAreServed() {
        assertThat(api.get("/", null).expect(200).text()).contains("<title>Social").contains("/vendor/echo.iife.js");
        assertThat(api.get("/vendor/pusher.min.js", null).expect(200).text()).contains("Pusher");
        assertThat(api.get("/vendor/echo.iife.js", null).expect(200).text()).contains("Echo");
        assertThat(api.get("/app.js", null).expect(200).text()).contains("online-users");
        Api.Reply avatar = api.get("/avatars/alice.svg", null).expect(200);
        assertThat(avatar.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        assertThat(avatar.text()).startsWith("<svg").contains(">A</text>");
    }

    // --- status and online users ------------------------------------------------------------------

    @Test
    void settingTheStatusUpdatesTheUserAndTheOnlineList() {
        String token = api.login("carol");
        long carol = api.userId("carol");
        JsonNode updated = api.post("/api/realtime/status", token, Map.of("status", "online")).expect(200).body();
        assertThat(updated.get("status").asText()).isEqualTo("updated");
        assertThat(updated.get("user_id").asLong()).isEqualTo(carol);
        assertThat(updated.get("is_online").asBoolean()).isTrue();
        assertThat(Instant.parse(updated.get("last_seen_at").asText())).isEqualTo(clock.instant());
        JsonNode row = onlineUser(token, carol);
        assertThat(row).as("carol in the online list").isNotNull();
        for (String field : List.of("id", "name", "username", "avatar", "verified", "verification_type", "is_online", "last_seen_at")) {
            assertThat(row.has(field)).as("online user field %s in %s", field, row).isTrue();
        }

        api.post("/api/realtime/status", token, Map.of("status", "away")).expect(200);
        assertThat(api.get("/api/realtime/users/" + carol + "/status", token).expect(200).get("is_online").asBoolean()).isTrue();
        // the cached list is dropped by the change: carol is gone at once, not after 60 s
        assertThat(api.post("/api/realtime/status", token, Map.of("status", "offline")).expect(200).get("is_online").asBoolean())
                .isFalse();
        assertThat(onlineUser(token, carol)).isNull();
    }

    @Test
    void theOnlineListIsCachedForSixtySecondsAndShowsOnlyUsersSeenInTheLastFiveMinutes() {
        String token = api.login("dave");
        String viewer = api.login("ivan"); // dave's own requests would count as seeing him
        long dave = api.userId("dave");
        api.post("/api/realtime/status", token, Map.of("status", "online")).expect(200);
        assertThat(onlineUser(viewer, dave)).isNotNull();
        // a change behind the app's back is not seen while the list is cached ...
        jdbc.sql("UPDATE users SET is_online = FALSE WHERE id = ?").param(dave).update();
        assertThat(onlineUser(viewer, dave)).as("cached").isNotNull();
        // ... and is once the 60 s have passed
        clock.advance(Duration.ofSeconds(61));
        assertThat(onlineUser(viewer, dave)).as("after the cache expired").isNull();

        jdbc.sql("UPDATE users SET is_online = TRUE, last_seen_at = ? WHERE id = ?")
                .params(Sql.at(clock.instant().minus(Duration.ofMinutes(6))), dave).update();
        clock.advance(Duration.ofSeconds(61));
        assertThat(onlineUser(viewer, dave)).as("online but not seen for 6 minutes").isNull();
        jdbc.sql("UPDATE users SET last_seen_at = ? WHERE id = ?").params(Sql.at(clock.instant()), dave).update();
        clock.advance(Duration.ofSeconds(61));
        assertThat(onlineUser(viewer, dave)).as("online and seen just now").isNotNull();
    }

    @Test
    void anUnknownStatusIs422NamingTheFieldAndMalformedJsonIs400() {
        String token = api.login("erin");
        Api.Reply invalid = api.post("/api/realtime/status", token, Map.of("status", "busy")).expect(422);
        assertThat(invalid.get("field").asText()).isEqualTo("status");
        assertThat(invalid.get("error").asText()).contains("online, offline, away");
        assertThat(api.post("/api/realtime/status", token, Map.of()).expect(422).get("field").asText()).isEqualTo("status");
        api.post("/api/realtime/status", token, "{status: online").expect(400);
        api.post("/api/realtime/status", token, "[1, 2]").expect(400);
    }

    @Test
    void aUsersStatusIsShownAndAnUnknownUserIs404() {
        String token = api.login("frank");
        long alice = api.userId("alice");
        JsonNode status = api.get("/api/realtime/users/" + alice + "/status", token).expect(200).body();
        assertThat(status.get("user_id").asLong()).isEqualTo(alice);
        assertThat(status.has("is_online")).isTrue();
        assertThat(status.has("last_seen_at")).isTrue();
        assertThat(api.get("/api/realtime/users/999999/status", token).expect(404).get("error").asText()).contains("999999");
        api.get("/api/realtime/users/abc/status", token).expect(404);
    }

    @Test
    void lastSeenIsWrittenByAnyRequestAtMostOnceAMinute() {
        String token = api.login("grace");
        long grace = api.userId("grace");
        Instant first = clock.instant();
        api.get("/api/realtime/timeline", token).expect(200);
        assertThat(lastSeen(token, grace)).isEqualTo(first);
        clock.advance(Duration.ofSeconds(30));
        api.get("/api/realtime/timeline", token).expect(200);
        assertThat(lastSeen(token, grace)).as("not written again within the minute").isEqualTo(first);
        clock.advance(Duration.ofSeconds(31));
        api.get("/api/realtime/timeline", token).expect(200);
        assertThat(lastSeen(token, grace)).isEqualTo(clock.instant());
    }

    @Test
    void theSweepMarksUsersOfflineWhoWereNotSeenForFiveMinutes() {
        String token = api.login("heidi");
        long heidi = api.userId("heidi");
        api.post("/api/realtime/status", token, Map.of("status", "online")).expect(200);
        clock.advance(Duration.ofMinutes(4));
        sweep.sweep();
        assertThat(jdbc.sql("SELECT is_online FROM users WHERE id = ?").param(heidi).query(Boolean.class).single()).isTrue();
        clock.advance(Duration.ofMinutes(2));
        assertThat(sweep.sweep()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("SELECT is_online FROM users WHERE id = ?").param(heidi).query(Boolean.class).single()).isFalse();
    }

    // --- timeline and posts -----------------------------------------------------------------------

    @Test
    void theTimelineHoldsTheUsersAndTheirFollowingsPostsOfTheLastTwoHoursNewestFirst() {
        String alice = api.login("alice");
        long aliceId = api.userId("alice");
        long bob = api.userId("bob");
        long carol = api.userId("carol");
        String bobToken = api.login("bob");
        String daveToken = api.login("dave");
        long old = insertPost(bob, "an old post of bob's", clock.instant().minus(Duration.ofMinutes(121)));
        long fromBob = api.post("/api/posts", bobToken, Map.of("content", "bob, just now")).expect(201).get("post").get("id").asLong();
        long fromDave = api.post("/api/posts", daveToken, Map.of("content", "dave, whom alice does not follow")).expect(201)
                .get("post").get("id").asLong();

        JsonNode body = api.get("/api/realtime/timeline?per_page=100&page=1", alice).expect(200).body();
        JsonNode posts = body.get("posts");
        assertThat(posts.get("current_page").asInt()).isEqualTo(1);
        assertThat(posts.get("per_page").asInt()).isEqualTo(100);
        List<JsonNode> data = list(posts.get("data"));
        assertThat(data).isNotEmpty();
        assertThat(data).extracting(p -> p.get("user_id").asLong()).allMatch(id -> id == aliceId || id == bob || id == carol);
        assertThat(data).extracting(p -> p.get("id").asLong()).contains(fromBob).doesNotContain(old, fromDave);
        List<Instant> times = data.stream().map(p -> Instant.parse(p.get("created_at").asText())).toList();
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(times).allMatch(t -> !t.isBefore(clock.instant().minus(Duration.ofHours(2))));
        JsonNode first = data.get(0);
        for (String field : List.of("id", "user_id", "content", "created_at", "likes_count", "is_liked", "user")) {
            assertThat(first.has(field)).as("post field %s in %s", field, first).isTrue();
        }
        assertThat(first.get("user").get("username").asText()).isEqualTo("bob");
        assertThat(first.get("user").has("verified")).isTrue();
        assertThat(list(body.get("following_ids"))).extracting(JsonNode::asLong).containsExactlyInAnyOrder(bob, carol);
        assertThat(body.get("channels").get("timeline").asText()).isEqualTo("timeline");
        assertThat(body.get("channels").get("user_timeline").asText()).isEqualTo("private-user.timeline." + aliceId);
    }

    @Test
    void theTimelinePagesAndMarksWhatTheViewerLiked() {
        String alice = api.login("alice");
        long a = api.post("/api/posts", alice, Map.of("content", "first")).expect(201).get("post").get("id").asLong();
        long b = api.post("/api/posts", alice, Map.of("content", "second")).expect(201).get("post").get("id").asLong();
        api.post("/api/posts/" + a + "/like", alice, null).expect(200);
        JsonNode page1 = api.get("/api/realtime/timeline?per_page=1&page=1", alice).expect(200).get("posts");
        JsonNode page2 = api.get("/api/realtime/timeline?per_page=1&page=2", alice).expect(200).get("posts");
        assertThat(page1.get("data")).hasSize(1);
        assertThat(page1.get("data").get(0).get("id").asLong()).isEqualTo(b);
        assertThat(page1.get("data").get(0).get("is_liked").asBoolean()).isFalse();
        assertThat(page2.get("current_page").asInt()).isEqualTo(2);
        assertThat(page2.get("data").get(0).get("id").asLong()).isEqualTo(a);
        assertThat(page2.get("data").get(0).get("is_liked").asBoolean()).isTrue();
        assertThat(page2.get("data").get(0).get("likes_count").asInt()).isEqualTo(1);
    }

    @Test
    void perPageOutsideOneToAHundredIs422() {
        String token = api.login("ivan");
        for (String query : List.of("per_page=0", "per_page=101", "per_page=abc", "page=0")) {
            Api.Reply reply = api.get("/api/realtime/timeline?" + query, token).expect(422);
            assertThat(reply.get("field").asText()).as(query).isEqualTo(query.substring(0, query.indexOf('=')));
        }
        api.get("/api/realtime/timeline?per_page=100", token).expect(200);
    }

    @Test
    void followingIdsAreCachedForAnHourAndDroppedOnFollowAndUnfollow() {
        String judy = api.login("judy");
        long judyId = api.userId("judy");
        long erin = api.userId("erin");
        long frank = api.userId("frank");
        assertThat(followingIds(judy)).isEmpty();
        assertThat(api.post("/api/users/" + erin + "/follow", judy, null).expect(200).get("following").asBoolean()).isTrue();
        assertThat(followingIds(judy)).containsExactly(erin);
        // behind the app's back: not seen for an hour
        jdbc.sql("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?)")
                .params(judyId, frank, Sql.at(clock.instant())).update();
        assertThat(followingIds(judy)).containsExactly(erin);
        clock.advance(Duration.ofMinutes(61));
        assertThat(followingIds(judy)).containsExactlyInAnyOrder(erin, frank);
        api.delete("/api/users/" + frank + "/follow", judy).expect(200);
        api.delete("/api/users/" + erin + "/follow", judy).expect(200);
        assertThat(followingIds(judy)).isEmpty();
    }

    @Test
    void followingAnUnknownUserIs404AndFollowingYourselfIs422() {
        String token = api.login("ivan");
        api.post("/api/users/999999/follow", token, null).expect(404);
        api.delete("/api/users/999999/follow", token).expect(404);
        assertThat(api.post("/api/users/" + api.userId("ivan") + "/follow", token, null).expect(422).get("field").asText())
                .isEqualTo("id");
    }

    @Test
    void onePostShowsItsLikeStateAndChannel() {
        String alice = api.login("alice");
        String bob = api.login("bob");
        long id = api.post("/api/posts", alice, Map.of("content", "look at this")).expect(201).get("post").get("id").asLong();
        api.post("/api/posts/" + id + "/like", bob, null).expect(200);
        JsonNode shown = api.get("/api/realtime/posts/" + id, bob).expect(200).body();
        assertThat(shown.get("post").get("content").asText()).isEqualTo("look at this");
        assertThat(shown.get("post").get("likes_count").asInt()).isEqualTo(1);
        assertThat(shown.get("is_liked").asBoolean()).isTrue();
        assertThat(shown.get("channel").asText()).isEqualTo("private-post." + id);
        assertThat(api.get("/api/realtime/posts/" + id, alice).expect(200).get("is_liked").asBoolean()).isFalse();
        assertThat(api.get("/api/realtime/posts/999999", alice).expect(404).get("error").asText()).contains("999999");
    }

    @Test
    void aPrivateAuthorsPostIs403ForANonFollowerAndVisibleToTheAuthorAndFollowers() {
        String mallory = api.login("mallory");
        String alice = api.login("alice");
        String bob = api.login("bob");
        long id = api.post("/api/posts", mallory, Map.of("content", "for my followers")).expect(201).get("post").get("id").asLong();
        assertThat(api.get("/api/realtime/posts/" + id, alice).expect(403).get("error").asText()).contains("private");
        api.post("/api/posts/" + id + "/like", alice, null).expect(403);
        api.get("/api/realtime/posts/" + id, mallory).expect(200);
        api.post("/api/users/" + api.userId("mallory") + "/follow", bob, null).expect(200);
        api.get("/api/realtime/posts/" + id, bob).expect(200);
        api.post("/api/posts/" + id + "/like", bob, null).expect(200);
    }

    @Test
    void contentMustBeOneTo280Characters() {
        String token = api.login("erin");
        assertThat(api.post("/api/posts", token, Map.of("content", "")).expect(422).get("field").asText()).isEqualTo("content");
        api.post("/api/posts", token, Map.of("content", "   ")).expect(422);
        api.post("/api/posts", token, Map.of()).expect(422);
        api.post("/api/posts", token, Map.of("content", "x".repeat(281))).expect(422);
        JsonNode post = api.post("/api/posts", token, Map.of("content", "é".repeat(280))).expect(201).get("post");
        assertThat(post.get("content").asText()).hasSize(280);
        assertThat(post.get("likes_count").asInt()).isZero();
        assertThat(post.get("user").get("username").asText()).isEqualTo("erin");
        api.post("/api/posts", token, "{\"content\": \"unterminated").expect(400);
    }

    @Test
    void likingCountsOncePerUserAndUnlikingTakesItBack() {
        String alice = api.login("alice");
        String bob = api.login("bob");
        String carol = api.login("carol");
        long id = api.post("/api/posts", alice, Map.of("content", "like me")).expect(201).get("post").get("id").asLong();
        assertThat(api.post("/api/posts/" + id + "/like", bob, null).expect(200).get("likes_count").asInt()).isEqualTo(1);
        assertThat(api.post("/api/posts/" + id + "/like", bob, null).expect(200).get("likes_count").asInt()).as("twice").isEqualTo(1);
        JsonNode carolLike = api.post("/api/posts/" + id + "/like", carol, null).expect(200).body();
        assertThat(carolLike.get("likes_count").asInt()).isEqualTo(2);
        assertThat(carolLike.get("is_liked").asBoolean()).isTrue();
        assertThat(carolLike.get("post_id").asLong()).isEqualTo(id);
        JsonNode unliked = api.delete("/api/posts/" + id + "/like", bob).expect(200).body();
        assertThat(unliked.get("likes_count").asInt()).isEqualTo(1);
        assertThat(unliked.get("is_liked").asBoolean()).isFalse();
        assertThat(api.delete("/api/posts/" + id + "/like", bob).expect(200).get("likes_count").asInt()).isEqualTo(1);
        api.post("/api/posts/999999/like", bob, null).expect(404);
        api.delete("/api/posts/999999/like", bob).expect(404);
    }

    // --- permissions and the rate limit ---------------------------------------------------------

    @Test
    void trentLacksTimelineViewAndGets403OnTheTimelineAndPosts() {
        String trent = api.login("trent");
        assertThat(api.get("/api/realtime/timeline", trent).expect(403).get("error").asText()).contains("realtime.timeline.view");
        api.get("/api/realtime/posts/1", trent).expect(403);
        api.get("/api/realtime/online-users", trent).expect(200);
        api.post("/api/realtime/status", trent, Map.of("status", "away")).expect(200);
    }

    @Test
    void missingStatusAndUsersPermissionsAre403() {
        long heidi = api.userId("heidi");
        jdbc.sql("DELETE FROM user_permissions WHERE user_id = ? AND permission IN ('realtime.status.update', 'realtime.users.view')")
                .param(heidi).update();
        clock.advance(Duration.ofMinutes(2)); // past the token cache, which holds the permissions
        String token = api.login("heidi");
        try {
            assertThat(api.post("/api/realtime/status", token, Map.of("status", "away")).expect(403).get("error").asText())
                    .contains("realtime.status.update");
            api.get("/api/realtime/online-users", token).expect(403);
            api.get("/api/realtime/users/" + heidi + "/status", token).expect(403);
            api.get("/api/realtime/timeline", token).expect(200);
        } finally {
            jdbc.sql("INSERT INTO user_permissions (user_id, permission) VALUES (?, 'realtime.status.update'), (?, 'realtime.users.view')")
                    .params(heidi, heidi).update();
        }
    }

    @Test
    void theSixtyFirstRequestInAMinuteIs429WithRetryAfter() {
        String token = api.login("frank");
        String other = api.login("grace");
        for (int i = 1; i <= 60; i++) {
            assertThat(api.get("/api/realtime/online-users", token).status()).as("request %d", i).isEqualTo(200);
        }
        Api.Reply limited = api.get("/api/realtime/online-users", token).expect(429);
        assertThat(limited.get("error").asText()).contains("too many requests");
        int retryAfter = Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1, 60);
        assertThat(api.get("/api/realtime/online-users", other).status()).as("another user's own limit").isEqualTo(200);
        clock.advance(Duration.ofSeconds(retryAfter));
        assertThat(api.get("/api/realtime/online-users", token).status()).as("after Retry-After").isEqualTo(200);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private JsonNode onlineUser(String token, long id) {
        for (JsonNode u : api.get("/api/realtime/online-users", token).expect(200).get("data")) {
            if (u.get("id").asLong() == id) {
                return u;
            }
        }
        return null;
    }

    private Instant lastSeen(String token, long id) {
        return Instant.parse(api.get("/api/realtime/users/" + id + "/status", token).expect(200).get("last_seen_at").asText());
    }

    private List<Long> followingIds(String token) {
        return list(api.get("/api/realtime/timeline", token).expect(200).get("following_ids")).stream().map(JsonNode::asLong).toList();
    }

    private long insertPost(long userId, String content, Instant at) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("INSERT INTO posts (user_id, content, published, likes_count, created_at) VALUES (?, ?, TRUE, 0, ?)")
                .params(userId, content, Sql.at(at)).update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    static List<JsonNode> list(JsonNode array) {
        return new ArrayList<>(StreamSupport.stream(array.spliterator(), false).toList());
    }
}
