package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realtime.internal.Json;
import dev.realtime.internal.Signer;
import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The limits not covered elsewhere: event name length and user id length, each with a custom setting. */
class LimitsEnforcementTest extends RealtimeTestSupport {
    private final InMemoryTransport memory = new InMemoryTransport();
    private final Signer signer = new Signer(SECRET);
    private Realtime realtime;

    @BeforeEach
    void start() {
        realtime = builder(memory).limits(Limits.builder().maxEventNameLength(20).maxUserIdLength(5).build()).build();
    }

    @AfterEach
    void close() {
        realtime.close();
    }

    @Test
    void eventNamesLongerThanTheSettingAreRefusedForBroadcastsAndClientEvents() {
        assertThatThrownBy(() -> realtime.broadcast("news", "e".repeat(21), "x")).hasMessageContaining("longer than 20");
        realtime.broadcast("news", "e".repeat(20), "x");
        TestClient alice = memory.connect(ALICE).subscribe("private-chat");
        TestClient bob = memory.connect(BOB).subscribe("private-chat");
        alice.trigger("private-chat", "client-" + "x".repeat(14), "1");
        assertThat(alice.awaitError().data()).contains("longer than 20");
        assertThat(bob.frames()).noneMatch(f -> f.event().startsWith("client-"));
        alice.trigger("private-chat", "client-" + "x".repeat(13), "1");
        bob.awaitEvent("private-chat", "client-" + "x".repeat(13));
    }

    @Test
    void userIdsLongerThanTheSettingAreRefusedInPresenceAndSignin() {
        TestClient c = memory.connect();
        String channelData = "{\"user_id\":\"123456\"}";
        String auth = KEY + ":" + signer.sign(c.socketId() + ":presence-room:" + channelData);
        c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-room\",\"auth\":\"" + auth
                + "\",\"channel_data\":" + Json.quote(channelData) + "}}");
        assertThat(c.awaitEvent("presence-room", "pusher:subscription_error").dataMap().get("error").toString())
                .contains("at most 5 characters");

        String userData = "{\"id\":\"123456\"}";
        String signin = KEY + ":" + signer.sign(c.socketId() + "::user::" + userData);
        c.send("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + signin + "\",\"user_data\":" + Json.quote(userData) + "}}");
        assertThat(c.awaitError().data()).contains("at most 5 characters");
        assertThat(c.closeCode()).isEqualTo(4009);

        memory.connect(User.of("12345")).subscribe("presence-room").signin();
    }
}
