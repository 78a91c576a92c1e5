package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.TestClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What transports may rely on: the node serialises one session's calls itself (a transport may call
 * {@code receive} from any thread), and a connection's asynchronous failure reported through the
 * context reaches the listeners with the socket id.
 */
class SessionSeamsTest extends RealtimeTestSupport {

    @Test
    void oneSessionFedFromManyThreadsAtOnceLosesNothing() throws Exception {
        InMemoryTransport memory = new InMemoryTransport();
        int threads = 8;
        int perThread = 100;
        try (Realtime realtime = builder(memory).limits(Limits.builder().maxChannelsPerConnection(10_000)
                .inboundMessagesPerSecond(100_000).build()).build()) {
            AtomicInteger succeeded = new AtomicInteger();
            InMemoryTransport.Socket socket = memory.connectSink(frame -> {
                if (frame.contains("subscription_succeeded")) {
                    succeeded.incrementAndGet();
                }
            });
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"t" + id + "-" + i + "\"}}");
                        if (i % 10 == 0) {
                            socket.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"t" + id + "-" + (i / 2) + "\"}}");
                            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"t" + id + "-" + (i / 2) + "\"}}");
                        }
                    }
                });
                w.start();
                workers.add(w);
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            assertThat(realtime.channels("t")).hasSize(threads * perThread);
            assertThat(realtime.channels("t").values()).allMatch(info -> info.subscriptionCount() == 1);
            socket.close();
            assertThat(realtime.channels("t")).isEmpty();
            assertThat(succeeded.get()).isGreaterThanOrEqualTo(threads * perThread);
        }
    }

    @Test
    void aConnectionsAsynchronousFailureReachesTheListenerWithItsSocketId() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<String> closes = new CopyOnWriteArrayList<>();
        InMemoryTransport memory = new InMemoryTransport();
        try (Realtime realtime = builder(memory).listener(new RealtimeListener() {
            @Override public void error(Throwable error) { errors.add(error); }
            @Override public void connectionClosed(ConnectionInfo c, int code, String reason) { closes.add(c.socketId() + " " + code); }
        }).build()) {
            TestClient alice = memory.connect(ALICE).subscribe("news");
            IOException reset = new IOException("Connection reset by peer");
            alice.failWire(reset);
            for (int i = 0; i < 500 && (errors.isEmpty() || closes.isEmpty()); i++) {
                Thread.sleep(10);
            }
            assertThat(errors).singleElement().isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                assertThat(e.socketId()).isEqualTo(alice.socketId());
                assertThat(e.getCause()).isSameAs(reset);
                assertThat(e.getMessage()).contains(alice.socketId()).contains("Connection reset by peer");
            });
            assertThat(closes).containsExactly(alice.socketId() + " 1006");
            assertThat(realtime.channel("news").occupied()).isFalse();
            realtime.broadcast("news", "after", Map.of()); // nothing left to deliver to, nothing thrown
        }
    }
}
