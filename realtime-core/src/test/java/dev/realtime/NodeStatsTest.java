package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.testing.InMemoryBroker;
import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.TestClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeStatsTest extends RealtimeTestSupport {

    @Test
    void countsThisNodesConnectionsChannelsAndSubscriptions() {
        InMemoryTransport memory = new InMemoryTransport();
        try (Realtime realtime = builder(memory).build()) {
            assertThat(realtime.stats()).isEqualTo(new NodeStats(0, 0, 0, false, true));
            TestClient alice = memory.connect(ALICE).subscribe("a").subscribe("b");
            memory.connect(BOB).subscribe("a");
            memory.connect(CAROL);
            assertThat(realtime.stats()).isEqualTo(new NodeStats(3, 2, 3, false, true));
            alice.close();
            awaitStats(realtime, new NodeStats(2, 1, 1, false, true));
        }
    }

    @Test
    void saysWhenTheBrokerIsDown() {
        InMemoryBroker broker = new InMemoryBroker();
        InMemoryBroker.Node node = broker.node();
        try (Realtime realtime = builder(new InMemoryTransport()).broker(node).build()) {
            assertThat(realtime.stats().clustered()).isTrue();
            assertThat(realtime.stats().brokerConnected()).isTrue();
            node.outage(new java.io.IOException("cut"));
            assertThat(realtime.stats().brokerConnected()).isFalse();
            node.restore();
            assertThat(realtime.stats().brokerConnected()).isTrue();
        }
    }

    private static void awaitStats(Realtime realtime, NodeStats expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!realtime.stats().equals(expected) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(realtime.stats()).isEqualTo(expected);
    }
}
