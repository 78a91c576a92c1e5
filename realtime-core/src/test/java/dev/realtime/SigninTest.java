package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.internal.Json;
import dev.realtime.internal.Signer;
import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.ReceivedFrame;
import dev.realtime.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SigninTest extends RealtimeTestSupport {
    private final InMemoryTransport memory = new InMemoryTransport();
    private Realtime realtime;

    @BeforeEach
    void start() {
        realtime = builder(memory).limits(Limits.builder().maxConnectionsPerUser(2).build()).build();
    }

    @AfterEach
    void close() {
        realtime.close();
    }

    @Test
    void signinSucceedsAndSendToUserReachesEveryConnectionOfTheUser() {
        TestClient tab1 = memory.connect(ALICE).signin();
        TestClient tab2 = memory.connect(ALICE).signin();
        TestClient bob = memory.connect(BOB).signin();
        tab1.subscribe("#server-to-user-1");
        realtime.sendToUser("1", "notification", Map.of("n", 1));
        assertThat(tab1.awaitUserEvent("notification").dataMap()).containsEntry("n", 1);
        tab2.awaitUserEvent("notification");
        assertThat(bob.received("#server-to-user-1", "notification")).isFalse();
    }

    @Test
    void signinSuccessEchoesUserData() {
        TestClient c = memory.connect(ALICE).signin();
        ReceivedFrame ok = c.frames().stream().filter(f -> "pusher:signin_success".equals(f.event())).findFirst().orElseThrow();
        assertThat(Json.readOrNull(ok.dataMap().get("user_data").toString()).get("id").asText()).isEqualTo("1");
    }

    @Test
    void aRepeatedSigninAsTheSameUserIsAnsweredOnce() {
        TestClient c = memory.connect(ALICE).signin();
        String body = realtime.authenticateUser(c.socketId(), ALICE).body();
        String auth = Json.readOrNull(body).get("auth").asText();
        String userData = Json.readOrNull(body).get("user_data").asText();
        c.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + auth + "\",\"user_data\":" + Json.quote(userData) + "}}");
        assertThat(c.frames()).filteredOn(f -> "pusher:signin_success".equals(f.event())).hasSize(1);
        assertThat(c.isOpen()).isTrue();
        realtime.sendToUser("1", "still", "x");
        c.awaitUserEvent("still");
    }

    @Test
    void forgedSigninIsRefusedWith4009AndClosed() {
        TestClient c = memory.connect();
        c.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + KEY + ":" + "ab".repeat(32)
                + "\",\"user_data\":\"{\\\"id\\\":\\\"1\\\"}\"}}");
        assertThat(c.awaitError().errorCode()).isEqualTo(4009);
        assertThat(c.closeCode()).isEqualTo(4009);
    }

    @Test
    void signinNeedsAStringId() {
        TestClient c = memory.connect();
        String userData = "{\"id\":5}";
        String auth = KEY + ":" + new Signer(SECRET).sign(c.socketId() + "::user::" + userData);
        c.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + auth + "\",\"user_data\":" + Json.quote(userData) + "}}");
        assertThat(c.awaitError().data()).contains("user_data.id");
        assertThat(c.closeCode()).isEqualTo(4009);
    }

    @Test
    void anotherUsersServerToUserChannelIsRefused() {
        TestClient bob = memory.connect(BOB).signin();
        ReceivedFrame refused = bob.trySubscribe("#server-to-user-1");
        assertThat(refused.dataMap()).containsEntry("type", "AuthError").containsEntry("status", 403);
        TestClient anonymous = memory.connect();
        assertThat(anonymous.trySubscribe("#server-to-user-1").event()).isEqualTo("pusher:subscription_error");
        realtime.sendToUser("1", "secret", "x");
        assertThat(bob.received("#server-to-user-1", "secret")).isFalse();
    }

    @Test
    void connectionsPerUserAreLimited() {
        memory.connect(ALICE).signin();
        memory.connect(ALICE).signin();
        TestClient third = memory.connect(ALICE);
        String auth = Json.readOrNull(realtime.authenticateUser(third.socketId(), ALICE).body()).get("auth").asText();
        String userData = Json.readOrNull(realtime.authenticateUser(third.socketId(), ALICE).body()).get("user_data").asText();
        third.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + auth + "\",\"user_data\":" + Json.quote(userData) + "}}");
        assertThat(third.awaitError().errorCode()).isEqualTo(4100);
        assertThat(third.closeCode()).isEqualTo(4100);
    }

    @Test
    void disconnectUserClosesSignedInAndPresentConnections() {
        TestClient signedIn = memory.connect(ALICE).signin();
        TestClient present = memory.connect(ALICE).subscribe("presence-room");
        TestClient bob = memory.connect(BOB).signin().subscribe("presence-room");
        assertThat(realtime.disconnectUser("1")).isEqualTo(2);
        assertThat(signedIn.closeCode()).isEqualTo(4009);
        assertThat(present.closeCode()).isEqualTo(4009);
        assertThat(bob.isOpen()).isTrue();
        bob.awaitEvent("presence-room", "pusher_internal:member_removed");
        realtime.sendToUser("1", "gone", "x");
        assertThat(realtime.connectionCount()).isEqualTo(1);
    }
}
