package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.internal.Signer;
import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.ReceivedFrame;
import dev.realtime.testing.TestClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PresenceTest extends RealtimeTestSupport {
    private final InMemoryTransport memory = new InMemoryTransport();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private Realtime realtime;

    @BeforeEach
    void start() {
        realtime = builder(memory).limits(Limits.builder().maxPresenceMembers(2).maxUserInfoBytes(64).build())
                .listener(new RealtimeListener() {
                    @Override
                    public void memberAdded(String channel, Member member) {
                        events.add("added " + member.userId());
                    }

                    @Override
                    public void memberRemoved(String channel, Member member) {
                        events.add("removed " + member.userId());
                    }
                }).build();
    }

    @AfterEach
    void close() {
        realtime.close();
    }

    @Test
    void hereListIncludesTheSubscriber() {
        TestClient alice = memory.connect(ALICE);
        ReceivedFrame ok = alice.trySubscribe("presence-room");
        @SuppressWarnings("unchecked")
        Map<String, Object> presence = (Map<String, Object>) ok.dataMap().get("presence");
        assertThat(presence).containsEntry("count", 1).containsEntry("ids", List.of("1"));
        assertThat(alice.members("presence-room")).containsOnlyKeys("1");
        assertThat(alice.members("presence-room").get("1")).containsEntry("name", "Alice");
    }

    @Test
    void memberAddedGoesToOthersNotTheJoiner() {
        TestClient alice = memory.connect(ALICE);
        alice.subscribe("presence-room");
        TestClient bob = memory.connect(BOB);
        bob.subscribe("presence-room");
        ReceivedFrame added = alice.awaitEvent("presence-room", "pusher_internal:member_added");
        assertThat(added.dataMap()).containsEntry("user_id", "2").containsEntry("user_info", Map.of("name", "Bob"));
        assertThat(bob.received("presence-room", "pusher_internal:member_added")).isFalse();
        assertThat(bob.members("presence-room")).containsOnlyKeys("1", "2");
        assertThat(alice.members("presence-room")).containsOnlyKeys("1", "2");
    }

    @Test
    void oneUserOnTwoConnectionsCountsOnce() throws Exception {
        TestClient watcher = memory.connect(CAROL);
        watcher.subscribe("presence-room");
        TestClient tab1 = memory.connect(ALICE);
        TestClient tab2 = memory.connect(ALICE);
        tab1.subscribe("presence-room");
        tab2.subscribe("presence-room");
        assertThat(watcher.events("presence-room").stream().filter(f -> f.event().endsWith("member_added"))).hasSize(1);
        assertThat(realtime.presence("presence-room")).extracting(Member::userId).containsExactly("3", "1");
        assertThat(realtime.channel("presence-room").userCount()).isEqualTo(2);
        assertThat(realtime.channel("presence-room").subscriptionCount()).isEqualTo(3);

        tab1.close();
        assertThat(watcher.received("presence-room", "pusher_internal:member_removed")).as("one tab is still there").isFalse();
        tab2.unsubscribe("presence-room");
        assertThat(watcher.awaitEvent("presence-room", "pusher_internal:member_removed").dataMap()).containsEntry("user_id", "1");
        assertThat(watcher.members("presence-room")).containsOnlyKeys("3");
        awaitEvents(List.of("added 3", "added 1", "removed 1"));
    }

    @Test
    void fullChannelRefusesNewUsersButNotNewTabsOfMembers() {
        memory.connect(ALICE).subscribe("presence-room");
        memory.connect(BOB).subscribe("presence-room");
        ReceivedFrame refused = memory.connect(CAROL).trySubscribe("presence-room");
        assertThat(refused.dataMap()).containsEntry("type", "LimitReached").containsEntry("status", 4100);
        memory.connect(ALICE).subscribe("presence-room");
    }

    @Test
    void numericUserIdIsNormalisedToAString() {
        TestClient c = memory.connect();
        String channelData = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Pusher\"}}";
        String auth = KEY + ":" + new Signer(SECRET).sign(c.socketId() + ":presence-foobar:" + channelData);
        c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-foobar\",\"auth\":\"" + auth
                + "\",\"channel_data\":" + dev.realtime.internal.Json.quote(channelData) + "}}");
        c.awaitEvent("presence-foobar", "pusher_internal:subscription_succeeded");
        assertThat(c.members("presence-foobar")).containsOnlyKeys("10");
        assertThat(realtime.presence("presence-foobar")).containsExactly(Member.of("10", Map.of("name", "Mr. Pusher")));
    }

    @Test
    void channelDataMustMatchItsSignatureAndCarryAUserId() {
        TestClient c = memory.connect();
        Signer signer = new Signer(SECRET);
        String signed = "{\"user_id\":\"1\"}";
        String tampered = "{\"user_id\":\"999\"}";
        String auth = KEY + ":" + signer.sign(c.socketId() + ":presence-x:" + signed);
        c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-x\",\"auth\":\"" + auth
                + "\",\"channel_data\":" + dev.realtime.internal.Json.quote(tampered) + "}}");
        assertThat(c.awaitEvent("presence-x", "pusher:subscription_error").dataMap()).containsEntry("status", 401);

        String noId = "{\"user_info\":{}}";
        String auth2 = KEY + ":" + signer.sign(c.socketId() + ":presence-y:" + noId);
        c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-y\",\"auth\":\"" + auth2
                + "\",\"channel_data\":" + dev.realtime.internal.Json.quote(noId) + "}}");
        assertThat(c.awaitEvent("presence-y", "pusher:subscription_error").dataMap())
                .containsEntry("type", "InvalidPresenceData");
    }

    @Test
    void oversizedUserInfoIsRefused() {
        User big = User.of("9", Map.of("bio", "x".repeat(100)));
        ReceivedFrame refused = memory.connect(big).trySubscribe("presence-room");
        assertThat(refused.dataMap().get("error").toString()).contains("larger than 64 bytes");
    }

    @Test
    void closingAConnectionRemovesItsMembership() {
        TestClient watcher = memory.connect(BOB);
        watcher.subscribe("presence-room");
        TestClient alice = memory.connect(ALICE);
        alice.subscribe("presence-room");
        alice.close();
        watcher.awaitEvent("presence-room", "pusher_internal:member_removed");
        assertThat(realtime.presence("presence-room")).extracting(Member::userId).containsExactly("2");
    }

    private void awaitEvents(List<String> expected) throws InterruptedException {
        for (int i = 0; i < 200 && events.size() < expected.size(); i++) {
            Thread.sleep(10);
        }
        assertThat(events).containsExactlyElementsOf(expected);
    }
}
