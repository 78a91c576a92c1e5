package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.internal.Signer;
import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.ReceivedFrame;
import dev.realtime.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubscriptionTest extends RealtimeTestSupport {
    private final InMemoryTransport memory = new InMemoryTransport();
    private final Signer signer = new Signer(SECRET);
    private Realtime realtime;

    @BeforeEach
    void start() {
        realtime = builder(memory).limits(Limits.builder().maxChannelsPerConnection(3).maxChannelNameLength(50).build()).build();
    }

    @AfterEach
    void close() {
        realtime.close();
    }

    private static String subscribe(String channel, String auth) {
        return "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\""
                + (auth == null ? "" : ",\"auth\":\"" + auth + "\"") + "}}";
    }

    @Test
    void publicSubscriptionSucceedsAndReceivesBroadcasts() {
        TestClient c = memory.connect();
        c.send(subscribe("news", null));
        assertThat(c.awaitEvent("news", "pusher_internal:subscription_succeeded").data()).isEqualTo("{}");
        realtime.broadcast("news", "headline", Map.of("title", "Hello"));
        assertThat(c.awaitEvent("news", "headline").dataMap()).containsEntry("title", "Hello");
    }

    @Test
    void dataMayBeAJsonStringAsSomeClientsSendIt() {
        TestClient c = memory.connect();
        c.send("{\"event\":\"pusher:subscribe\",\"data\":\"{\\\"channel\\\":\\\"news\\\"}\"}");
        c.awaitEvent("news", "pusher_internal:subscription_succeeded");
    }

    @Test
    void privateSubscriptionWithValidSignatureSucceeds() {
        TestClient c = memory.connect();
        c.send(subscribe("private-a", KEY + ":" + signer.sign(c.socketId() + ":private-a")));
        c.awaitEvent("private-a", "pusher_internal:subscription_succeeded");
    }

    @Test
    void privateChannelRejectsForgedSignature() {
        TestClient c = memory.connect();
        c.send(subscribe("private-a", KEY + ":" + "0".repeat(64)));
        ReceivedFrame error = c.awaitEvent("private-a", "pusher:subscription_error");
        assertThat(error.dataMap()).containsEntry("type", "AuthError").containsEntry("status", 401);
        assertThat(c.isOpen()).isTrue();
        realtime.broadcast("private-a", "secret", "x");
        assertThat(c.received("private-a", "secret")).isFalse();
        c.subscribe("news");
    }

    @Test
    void signatureReplayedFromAnotherSocketIsRejected() {
        TestClient victim = memory.connect();
        TestClient thief = memory.connect();
        String stolen = KEY + ":" + signer.sign(victim.socketId() + ":private-a");
        thief.send(subscribe("private-a", stolen));
        assertThat(thief.awaitEvent("private-a", "pusher:subscription_error").dataMap()).containsEntry("status", 401);
    }

    @Test
    void signatureWithAnotherAppKeyOrNoAuthIsRejected() {
        TestClient c = memory.connect();
        c.send(subscribe("private-a", "otherkey:" + signer.sign(c.socketId() + ":private-a")));
        c.awaitEvent("private-a", "pusher:subscription_error");
        c.send(subscribe("private-b", null));
        c.awaitEvent("private-b", "pusher:subscription_error");
    }

    @Test
    void invalidChannelNamesGetSubscriptionErrors() {
        TestClient c = memory.connect();
        c.send(subscribe("bad name!", null));
        assertThat(c.awaitEvent("bad name!", "pusher:subscription_error").dataMap())
                .containsEntry("type", "InvalidChannel").containsEntry("status", 400);
        String longName = "x".repeat(51);
        c.send(subscribe(longName, null));
        assertThat(c.awaitEvent(longName, "pusher:subscription_error").dataMap().get("error").toString())
                .contains("longer than 50");
        c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":42}}");
        assertThat(c.awaitError().errorCode()).isEqualTo(4200);
        c.send("{\"event\":\"pusher:subscribe\"}");
        assertThat(c.awaitError().errorCode()).isEqualTo(4200);
        c.subscribe("still-fine");
    }

    @Test
    void subscribeIsIdempotentPerSocket() {
        TestClient c = memory.connect();
        c.subscribe("news");
        c.subscribe("news");
        assertThat(realtime.channel("news").subscriptionCount()).isEqualTo(1);
        realtime.broadcast("news", "e", "1");
        c.awaitEvent("news", "e");
        assertThat(c.events("news").stream().filter(f -> f.event().equals("e"))).hasSize(1);
    }

    @Test
    void unsubscribeStopsDeliveryAndUnknownChannelsAreIgnored() {
        TestClient c = memory.connect();
        c.subscribe("news");
        c.unsubscribe("news");
        c.unsubscribe("never-subscribed");
        realtime.broadcast("news", "e", "1");
        assertThat(c.received("news", "e")).isFalse();
        assertThat(realtime.channel("news").occupied()).isFalse();
        assertThat(c.frames()).noneMatch(f -> "pusher:error".equals(f.event()));
    }

    @Test
    void channelsPerConnectionAreLimited() {
        TestClient c = memory.connect();
        c.subscribe("a").subscribe("b").subscribe("c");
        ReceivedFrame over = c.trySubscribe("d");
        assertThat(over.event()).isEqualTo("pusher:subscription_error");
        assertThat(over.dataMap()).containsEntry("type", "LimitReached");
        c.subscribe("a");
        c.unsubscribe("a");
        c.subscribe("d");
    }

    @Test
    void unmatchedPrivateChannelIsDeniedByTheAuthEndpoint() {
        InMemoryTransport mem = new InMemoryTransport();
        try (Realtime r = Realtime.builder().app(APP_ID, KEY, SECRET).transport(mem)
                .authorize("private-user.{userId}", (u, ch) -> u.id().equals(ch.param("userId"))).build()) {
            TestClient c = mem.connect(ALICE);
            assertThat(r.authorizeChannel(c.socketId(), "private-user.1", ALICE).ok()).isTrue();
            assertThat(r.authorizeChannel(c.socketId(), "private-user.2", ALICE).status()).isEqualTo(403);
            assertThat(r.authorizeChannel(c.socketId(), "private-other", ALICE).status()).isEqualTo(403);
            assertThat(r.authorizeChannel(c.socketId(), "presence-x", ALICE).status()).isEqualTo(403);
        }
    }

    @Test
    void cacheChannelReplaysLastEventOrSaysCacheMiss() {
        TestClient first = memory.connect();
        first.subscribe("cache-scores");
        first.awaitEvent("cache-scores", "pusher:cache_miss");
        realtime.broadcast("cache-scores", "score", Map.of("home", 1));
        realtime.broadcast("cache-scores", "score", Map.of("home", 2));
        TestClient late = memory.connect();
        late.subscribe("cache-scores");
        assertThat(late.awaitEvent("cache-scores", "score").dataMap()).containsEntry("home", 2);
        assertThat(late.received("cache-scores", "pusher:cache_miss")).isFalse();
        TestClient other = memory.connect();
        other.subscribe("cache-empty");
        other.awaitEvent("cache-empty", "pusher:cache_miss");
    }

    @Test
    void cacheChannelKeepsTheLastEventWithoutSubscribers() {
        realtime.broadcast("cache-news", "headline", "first");
        TestClient c = memory.connect();
        c.subscribe("cache-news");
        assertThat(c.awaitEvent("cache-news", "headline").data()).isEqualTo("first");
    }
}
