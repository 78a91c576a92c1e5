package dev.realtime.example.social;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.client.Pusher;
import com.pusher.client.channel.User;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the app broadcasts, as the real pusher-java-client receives it over WebSocket from the app's own
 * port: new posts on the followers' private timelines and {@code timeline}, likes on the post's channel,
 * {@code user.status} from a status change, the offline sweep (clock moved) and presence; and the channel
 * authorizers' refusals.
 */
@SpringBootTest(classes = SocialApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"social.offline-sweep-millis=86400000", "social.presence-grace=300ms", "logging.level.dev.realtime=WARN"})
@Import(TestClock.class)
@DirtiesContext
class RealtimeDeliveryTest {
    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    OfflineSweep sweep;
    @Autowired
    JdbcClient jdbc;

    Api api;
    Clients clients;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Databases::h2);
    }

    @BeforeEach
    void setUp() {
        clock.advance(Duration.ofMinutes(1));
        api = new Api(port);
        clients = new Clients("127.0.0.1", port);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void aPostReachesTheAuthorAndEachFollowersPrivateTimelineAndThePublicTimeline() throws Exception {
        String alice = api.login("alice");
        String bob = api.login("bob");
        String judy = api.login("judy");
        String carol = api.login("carol");
        api.post("/api/users/" + api.userId("alice") + "/follow", judy, null).expect(200);

        Clients.Listener aliceTimeline = privateChannel(alice, "private-user.timeline." + api.userId("alice"));
        Clients.Listener bobTimeline = privateChannel(bob, "private-user.timeline." + api.userId("bob"));
        Clients.Listener judyTimeline = privateChannel(judy, "private-user.timeline." + api.userId("judy"));
        Clients.Listener carolTimeline = privateChannel(carol, "private-user.timeline." + api.userId("carol"));
        Clients.Listener everyone = publicChannel("timeline");

        long id = api.post("/api/posts", alice, Map.of("content", "hello followers")).expect(201).get("post").get("id").asLong();
        for (Clients.Listener l : new Clients.Listener[] {aliceTimeline, bobTimeline, judyTimeline, everyone}) {
            JsonNode event = l.next("post.published");
            assertThat(event.get("_event").asText()).isEqualTo("post.published");
            assertThat(event.get("post").get("id").asLong()).isEqualTo(id);
            assertThat(event.get("post").get("content").asText()).isEqualTo("hello followers");
            assertThat(event.get("post").get("user").get("username").asText()).isEqualTo("alice");
            assertThat(event.get("post").get("likes_count").asInt()).isZero();
        }
        // carol does not follow alice: the first post on her timeline is her own next one
        long own = api.post("/api/posts", carol, Map.of("content", "carol's own")).expect(201).get("post").get("id").asLong();
        assertThat(carolTimeline.next("carol's own post").get("post").get("id").asLong()).isEqualTo(own);
    }

    @Test
    void aPrivateAuthorsPostGoesToTheirFollowersButNotToThePublicTimeline() throws Exception {
        String mallory = api.login("mallory");
        String ivan = api.login("ivan");
        api.post("/api/users/" + api.userId("mallory") + "/follow", ivan, null).expect(200);
        Clients.Listener ivanTimeline = privateChannel(ivan, "private-user.timeline." + api.userId("ivan"));
        Clients.Listener everyone = publicChannel("timeline");

        long secret = api.post("/api/posts", mallory, Map.of("content", "followers only")).expect(201).get("post").get("id").asLong();
        assertThat(ivanTimeline.next("mallory's post").get("post").get("id").asLong()).isEqualTo(secret);
        long open = api.post("/api/posts", ivan, Map.of("content", "for everyone")).expect(201).get("post").get("id").asLong();
        assertThat(everyone.next("the next public post").get("post").get("id").asLong()).as("mallory's post skipped").isEqualTo(open);
    }

    @Test
    void aLikeReachesThePostsChannelWithTheNewCount() throws Exception {
        String alice = api.login("alice");
        String bob = api.login("bob");
        String carol = api.login("carol");
        long id = api.post("/api/posts", alice, Map.of("content", "like this")).expect(201).get("post").get("id").asLong();
        Clients.Listener post = privateChannel(alice, "private-post." + id);

        api.post("/api/posts/" + id + "/like", bob, null).expect(200);
        JsonNode liked = post.next("post.liked");
        assertThat(liked.get("_event").asText()).isEqualTo("post.liked");
        assertThat(liked.get("post_id").asLong()).isEqualTo(id);
        assertThat(liked.get("likes_count").asInt()).isEqualTo(1);
        api.post("/api/posts/" + id + "/like", carol, null).expect(200);
        assertThat(post.next("carol's like").get("likes_count").asInt()).isEqualTo(2);
        api.delete("/api/posts/" + id + "/like", bob).expect(200);
        assertThat(post.next("bob's unlike").get("likes_count").asInt()).isEqualTo(1);
    }

    @Test
    void aStatusChangeBroadcastsUserStatusOnTheOnlineUsersChannel() throws Exception {
        Clients.Listener online = presence(api.login("erin"));
        long frank = api.userId("frank");
        api.post("/api/realtime/status", api.login("frank"), Map.of("status", "away")).expect(200);
        JsonNode status = online.next("user.status", d -> d.get("user_id").asLong() == frank, "frank's user.status");
        assertThat(status.get("status").asText()).isEqualTo("away");
        assertThat(status.get("timestamp").asText()).isEqualTo(clock.instant().toString());
    }

    @Test
    void theOfflineSweepBroadcastsUserStatusForUsersNotSeenForFiveMinutes() throws Exception {
        long grace = api.userId("grace");
        api.post("/api/realtime/status", api.login("grace"), Map.of("status", "online")).expect(200);
        Clients.Listener online = presence(api.login("erin"));
        clock.advance(Duration.ofMinutes(6));
        sweep.sweep();
        JsonNode status = online.next("user.status", d -> d.get("user_id").asLong() == grace && d.get("status").asText().equals("offline"),
                "grace's offline user.status");
        assertThat(status.get("timestamp").asText()).isEqualTo(clock.instant().toString());
        assertThat(jdbc.sql("SELECT is_online FROM users WHERE id = ?").param(grace).query(Boolean.class).single()).isFalse();
    }

    @Test
    void joiningThePresenceChannelMarksOnlineAndLeavingItMarksOfflineAfterTheGracePeriod() throws Exception {
        Clients.Listener watcher = presence(api.login("erin"));
        String heidiToken = api.login("heidi");
        long heidi = api.userId("heidi");
        jdbc.sql("UPDATE users SET is_online = FALSE, status = 'offline' WHERE id = ?").param(heidi).update();

        Pusher heidiClient = clients.connect(heidiToken);
        Clients.Listener heidiListener = new Clients.Listener();
        heidiClient.subscribePresence("presence-online-users", heidiListener, "user.status");
        heidiListener.awaitSubscribed("heidi's presence");
        User joined = watcher.joined.poll(Clients.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(joined).as("member_added for heidi").isNotNull();
        assertThat(joined.getId()).isEqualTo(String.valueOf(heidi));
        JsonNode info = Api.JSON.readTree(joined.getInfo());
        assertThat(info.get("id").asLong()).isEqualTo(heidi);
        assertThat(info.get("name").asText()).isEqualTo("Heidi");
        assertThat(info.get("avatar").asText()).isEqualTo("/avatars/heidi.svg");
        watcher.next("user.status", d -> d.get("user_id").asLong() == heidi && d.get("status").asText().equals("online"),
                "heidi's online user.status");

        heidiClient.disconnect();
        assertThat(watcher.left.poll(Clients.WAIT_SECONDS, TimeUnit.SECONDS)).as("member_removed for heidi").isNotNull();
        watcher.next("user.status", d -> d.get("user_id").asLong() == heidi && d.get("status").asText().equals("offline"),
                "heidi's offline user.status after the grace period");
        assertThat(jdbc.sql("SELECT is_online FROM users WHERE id = ?").param(heidi).query(Boolean.class).single()).isFalse();
    }

    @Test
    void comingBackWithinTheGracePeriodKeepsTheUserOnline() throws Exception {
        String ivanToken = api.login("ivan");
        long ivan = api.userId("ivan");
        Pusher first = clients.connect(ivanToken);
        Clients.Listener firstListener = new Clients.Listener();
        first.subscribePresence("presence-online-users", firstListener, "user.status");
        firstListener.awaitSubscribed("ivan's first page");
        awaitOnline(ivan, true);

        first.disconnect(); // a reload: the page goes, the next one joins at once
        Clients.Listener again = new Clients.Listener();
        clients.connect(ivanToken).subscribePresence("presence-online-users", again, "user.status");
        again.awaitSubscribed("ivan's reloaded page");
        Thread.sleep(3 * 300); // three grace periods: the offline check has run by now
        assertThat(jdbc.sql("SELECT is_online FROM users WHERE id = ?").param(ivan).query(Boolean.class).single())
                .as("still online after a reload").isTrue();
    }

    @Test
    void aNonFollowerCannotSubscribeToAPrivateAuthorsPostChannelAndAFollowerCan() throws Exception {
        String mallory = api.login("mallory");
        long id = api.post("/api/posts", mallory, Map.of("content", "private")).expect(201).get("post").get("id").asLong();
        String alice = api.login("alice");
        Clients.Listener refused = new Clients.Listener();
        clients.connect(alice).subscribePrivate("private-post." + id, refused, "post.liked");
        String why = refused.refusals.poll(Clients.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(why).as("alice's subscription refused").isNotNull().contains("403");

        String dave = api.login("dave");
        api.post("/api/users/" + api.userId("mallory") + "/follow", dave, null).expect(200);
        privateChannel(dave, "private-post." + id);
        privateChannel(mallory, "private-post." + id);
    }

    @Test
    void anotherUsersTimelineChannelIsRefused() throws Exception {
        Clients.Listener refused = new Clients.Listener();
        clients.connect(api.login("alice")).subscribePrivate("private-user.timeline." + api.userId("bob"), refused);
        assertThat(refused.refusals.poll(Clients.WAIT_SECONDS, TimeUnit.SECONDS)).as("refusal").isNotNull().contains("403");
    }

    /** Waits until presence has written the user's state (it runs on the app's own thread). */
    private void awaitOnline(long userId, boolean online) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Clients.WAIT_SECONDS);
        while (jdbc.sql("SELECT is_online FROM users WHERE id = ?").param(userId).query(Boolean.class).single() != online) {
            assertThat(System.nanoTime()).as("user %d is_online = %s in time", userId, online).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private Clients.Listener privateChannel(String token, String channel) throws Exception {
        Clients.Listener listener = new Clients.Listener();
        clients.connect(token).subscribePrivate(channel, listener, "post.published", "post.liked");
        return listener.awaitSubscribed(channel);
    }

    private Clients.Listener publicChannel(String channel) throws Exception {
        Clients.Listener listener = new Clients.Listener();
        clients.connect(null).subscribe(channel, listener, "post.published");
        return listener.awaitSubscribed(channel);
    }

    private Clients.Listener presence(String token) throws Exception {
        Clients.Listener listener = new Clients.Listener();
        clients.connect(token).subscribePresence("presence-online-users", listener, "user.status");
        return listener.awaitSubscribed("presence-online-users");
    }
}
