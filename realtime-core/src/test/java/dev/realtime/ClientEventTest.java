package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.ReceivedFrame;
import dev.realtime.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientEventTest extends RealtimeTestSupport {
    private final InMemoryTransport memory = new InMemoryTransport();
    private Realtime realtime;

    @AfterEach
    void close() {
        realtime.close();
    }

    private Realtime start(RealtimeBuilder b) {
        realtime = b.build();
        return realtime;
    }

    @Test
    void clientEventReachesOthersButIsNotEchoed() {
        start(builder(memory));
        TestClient alice = memory.connect(ALICE).subscribe("private-chat");
        TestClient bob = memory.connect(BOB).subscribe("private-chat");
        alice.trigger("private-chat", "client-typing", Map.of("typing", true));
        ReceivedFrame got = bob.awaitEvent("private-chat", "client-typing");
        assertThat(got.raw()).contains("\"data\":{\"typing\":true}");
        assertThat(got.userId()).as("no user_id on private channels").isNull();
        assertThat(alice.received("private-chat", "client-typing")).isFalse();
    }

    @Test
    void presenceClientEventCarriesTheSendersUserId() {
        start(builder(memory));
        TestClient alice = memory.connect(ALICE).subscribe("presence-room");
        TestClient bob = memory.connect(BOB).subscribe("presence-room");
        alice.trigger("presence-room", "client-wave", "hi");
        ReceivedFrame got = bob.awaitEvent("presence-room", "client-wave");
        assertThat(got.userId()).isEqualTo("1");
        assertThat(got.raw()).as("string data relayed as received").contains("\"data\":\"hi\"");
    }

    @Test
    void listenerSeesClientEventsOffTheSendersThread() throws Exception {
        var seen = new java.util.concurrent.CompletableFuture<String>();
        start(builder(memory).listener(new RealtimeListener() {
            @Override
            public void clientEvent(ClientEvent event) {
                seen.complete(Thread.currentThread().getName() + " " + event.event() + " " + event.data());
            }
        }));
        memory.connect(ALICE).subscribe("private-chat").trigger("private-chat", "client-x", Map.of("a", 1));
        assertThat(seen.get(5, java.util.concurrent.TimeUnit.SECONDS))
                .startsWith("realtime-events-").endsWith("client-x {\"a\":1}")
                .doesNotContain(Thread.currentThread().getName() + " ");
    }

    @Test
    void publicChannelRefusesClientEvents() {
        start(builder(memory));
        TestClient alice = memory.connect(ALICE).subscribe("news");
        TestClient bob = memory.connect(BOB).subscribe("news");
        alice.trigger("news", "client-x", "1");
        assertThat(alice.awaitError().errorCode()).isEqualTo(4009);
        assertThat(bob.received("news", "client-x")).isFalse();
        assertThat(alice.isOpen()).isTrue();
    }

    @Test
    void encryptedChannelRefusesClientEvents() {
        start(builder(memory).encryptionMasterKey(java.util.Base64.getEncoder().encodeToString(new byte[32])));
        TestClient alice = memory.connect(ALICE).subscribe("private-encrypted-x");
        alice.trigger("private-encrypted-x", "client-x", "1");
        assertThat(alice.awaitError().errorCode()).isEqualTo(4009);
    }

    @Test
    void senderMustBeSubscribed() {
        start(builder(memory));
        TestClient bob = memory.connect(BOB).subscribe("private-chat");
        TestClient alice = memory.connect(ALICE);
        alice.trigger("private-chat", "client-x", "1");
        assertThat(alice.awaitError().data()).contains("not subscribed");
        assertThat(bob.received("private-chat", "client-x")).isFalse();
    }

    @Test
    void disabledClientEventsAreRefused() {
        start(builder(memory).clientEvents(false));
        TestClient alice = memory.connect(ALICE).subscribe("private-chat");
        alice.trigger("private-chat", "client-x", "1");
        assertThat(alice.awaitError().data()).contains("disabled");
    }

    @Test
    void overTheRateGets4301AndTheConnectionSurvives() {
        start(builder(memory).limits(Limits.builder().clientEventsPerSecond(3).build()));
        TestClient alice = memory.connect(ALICE).subscribe("private-chat");
        TestClient bob = memory.connect(BOB).subscribe("private-chat");
        for (int i = 0; i < 6; i++) {
            alice.trigger("private-chat", "client-n", i);
        }
        assertThat(alice.awaitError().errorCode()).isEqualTo(4301);
        long relayed = bob.events("private-chat").stream().filter(f -> f.event().equals("client-n")).count();
        assertThat(relayed).isBetween(3L, 5L);
        assertThat(alice.isOpen()).isTrue();
        assertThat(alice.closeCode()).isNull();
    }

    @Test
    void oversizedPayloadIsRefused() {
        start(builder(memory).limits(Limits.builder().maxPayloadBytes(100).build()));
        TestClient alice = memory.connect(ALICE).subscribe("private-chat");
        TestClient bob = memory.connect(BOB).subscribe("private-chat");
        alice.trigger("private-chat", "client-big", "x".repeat(101));
        assertThat(alice.awaitError().data()).contains("larger than 100 bytes");
        assertThat(bob.received("private-chat", "client-big")).isFalse();
        alice.trigger("private-chat", "client-small", "x".repeat(50));
        bob.awaitEvent("private-chat", "client-small");
    }
}
