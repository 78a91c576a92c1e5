package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest extends RealtimeTestSupport {
    @Test
    void presenceBroadcastReachesSubscriber() {
        InMemoryTransport memory = new InMemoryTransport();
        try (Realtime realtime = builder(memory).build()) {
            TestClient alice = memory.connect(ALICE);
            alice.subscribe("presence-room.1");
            realtime.broadcast("presence-room.1", "message.sent", Map.of("text", "hi"));
            assertThat(alice.awaitEvent("presence-room.1", "message.sent").dataMap()).containsEntry("text", "hi");
            assertThat(alice.members("presence-room.1")).containsKey("1");
        }
    }
}
