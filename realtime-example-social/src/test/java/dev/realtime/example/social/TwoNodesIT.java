package dev.realtime.example.social;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.spi.BrokerServers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Two instances of the packaged app, linked by Redis ({@code --broker redis://127.0.0.1:6379}) and sharing one
 * PostgreSQL database: the browser suite with Alice's page on one and Bob's on the other (a post on one reaches
 * a browser on the other; presence spans both), and a post made through one node reaching a pusher-java-client
 * on the other. Needs Redis and PostgreSQL: fails without them when CI is set, skips otherwise.
 */
class TwoNodesIT {
    private static String database;
    private static AppProcess a;
    private static AppProcess b;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        assertThat(AppProcess.JAR).as("run after package").exists();
        BrokerServers.require("Redis", "127.0.0.1", 6379, "redis-server (.ci/run starts it)");
        database = Databases.postgresSchema("social_it");
        List<String> common = List.of("--db-url", database, "--broker", "redis://127.0.0.1:6379",
                "--social.presence-grace=1s", "--realtime.heartbeat-interval=500ms", "--realtime.node-timeout=3s");
        // one after the other: the first seeds the demo data, the second finds it
        a = AppProcess.start("node-a", Stream.concat(common.stream(), Stream.of("--node-id", "it-a")).toList());
        b = AppProcess.start("node-b", Stream.concat(common.stream(), Stream.of("--node-id", "it-b")).toList());
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        Databases.dropPostgresSchema(database);
    }

    @Test
    void aPostMadeThroughOneNodeReachesAClientOfTheOther() throws Exception {
        Api onA = new Api(a.url());
        Api onB = new Api(b.url());
        String bob = onB.login("bob");
        try (Clients clients = new Clients("127.0.0.1", b.port)) {
            Clients.Listener bobTimeline = new Clients.Listener();
            clients.connect(bob).subscribePrivate("private-user.timeline." + onB.userId("bob"), bobTimeline, "post.published");
            bobTimeline.awaitSubscribed("bob's timeline on node b");
            // alice's token was issued by node a and is accepted by node b (tokens live in the shared database)
            String alice = onA.login("alice");
            onB.get("/api/realtime/timeline", alice).expect(200);
            long id = onA.post("/api/posts", alice, Map.of("content", "from node a")).expect(201).get("post").get("id").asLong();
            JsonNode event = bobTimeline.next("alice's post, published on node a, on node b");
            assertThat(event.get("post").get("id").asLong()).isEqualTo(id);
        }
    }

    @TestFactory
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    Stream<DynamicTest> aliceOnOneNodeAndBobOnTheOtherWatchEachOtherInChromium() throws Exception {
        return SocialBrowserTest.NODE.runFiles("two-nodes", List.of("social.test.mjs"), Map.of(
                "SOCIAL_URL_ALICE", a.url(),
                "SOCIAL_URL_BOB", b.url(),
                "SOCIAL_LABEL", "two-nodes",
                "FORCE_COLOR", "0",
                "SCREENSHOTS", Path.of("target", "screenshots").toAbsolutePath().toString()), 8);
    }
}
