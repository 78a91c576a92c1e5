package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.TestClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ListenerAndSlowConsumerTest extends RealtimeTestSupport {

    /** Records every callback with the thread it ran on. */
    static final class Recorder implements RealtimeListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        private void add(String call) {
            calls.add(call);
            threads.add(Thread.currentThread().getName());
        }

        @Override public void connectionOpened(ConnectionInfo c) { add("opened"); }
        @Override public void connectionClosed(ConnectionInfo c, int code, String reason) { add("closed " + code); }
        @Override public void channelOccupied(String channel) { add("occupied " + channel); }
        @Override public void channelVacated(String channel) { add("vacated " + channel); }
        @Override public void slowConsumer(ConnectionInfo c) { add("slow"); }

        void await(int n) throws InterruptedException {
            for (int i = 0; i < 500 && calls.size() < n; i++) {
                Thread.sleep(10);
            }
        }
    }

    @Test
    void lifecycleCallbacksRunInOrderOffTheCallersThread() throws Exception {
        Recorder recorder = new Recorder();
        InMemoryTransport memory = new InMemoryTransport();
        try (Realtime realtime = builder(memory).listener(recorder).build()) {
            TestClient c = memory.connect().subscribe("news");
            c.unsubscribe("news");
            c.close();
            recorder.await(5);
            assertThat(recorder.calls).containsExactly("opened", "occupied news", "vacated news", "closed 1000");
            assertThat(recorder.threads).allMatch(t -> t.startsWith("realtime-events-"));
            assertThat(realtime.connectionCount()).isZero();
        }
    }

    @Test
    void throwingListenerDoesNotStopOthers() throws Exception {
        Recorder recorder = new Recorder();
        InMemoryTransport memory = new InMemoryTransport();
        try (Realtime realtime = builder(memory).listener(new RealtimeListener() {
            @Override
            public void connectionOpened(ConnectionInfo c) {
                throw new IllegalStateException("listener bug");
            }
        }).listener(recorder).build()) {
            memory.connect();
            recorder.await(1);
            assertThat(recorder.calls).containsExactly("opened");
        }
    }

    @Test
    void slowConsumerIsClosedWith4100AndOthersKeepReceiving() throws Exception {
        Recorder recorder = new Recorder();
        InMemoryTransport memory = new InMemoryTransport();
        try (Realtime realtime = builder(memory).limits(Limits.builder().outboundQueueFrames(10).build())
                .listener(recorder).build()) {
            TestClient slow = memory.connect().subscribe("ticker");
            TestClient fast = memory.connect().subscribe("ticker");
            slow.pauseReading();
            for (int i = 0; i < 50; i++) {
                realtime.broadcast("ticker", "tick", i);
            }
            assertThat(slow.awaitClose(Duration.ofSeconds(5))).isEqualTo(4100);
            assertThat(fast.events("ticker").stream().filter(f -> f.event().equals("tick"))).hasSize(50);
            assertThat(fast.isOpen()).isTrue();
            assertThat(realtime.channel("ticker").subscriptionCount()).isEqualTo(1);
            recorder.await(6);
            assertThat(recorder.calls).contains("slow");
        }
    }
}
