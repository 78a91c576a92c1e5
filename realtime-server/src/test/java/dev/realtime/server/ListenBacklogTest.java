package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The listen backlog is a setting (default 1024), so a burst of connects waits in the queue, not on SYN retransmits. */
class ListenBacklogTest {

    @Test
    void theConnectorListensWithTheConfiguredBacklog() {
        try (ServerTestSupport defaults = new ServerTestSupport();
             ServerTestSupport set = new ServerTestSupport(b -> { }, s -> s.backlog(2048))) {
            assertThat(defaults.server.connector().getAcceptQueueSize()).isEqualTo(RealtimeServer.DEFAULT_BACKLOG).isEqualTo(1024);
            assertThat(set.server.connector().getAcceptQueueSize()).isEqualTo(2048);
        }
    }

    @Test
    void aBurstOf300SimultaneousConnectsIsAllServed() throws Exception {
        int n = 300;
        try (ServerTestSupport t = new ServerTestSupport(); Canary canary = Canary.open(t)) {
            ExecutorService pool = Executors.newFixedThreadPool(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> replies = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    replies.add(pool.submit((Callable<String>) () -> {
                        go.await();
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress("127.0.0.1", t.server.port()), 30_000);
                            s.setSoTimeout(30_000);
                            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        }
                    }));
                }
                go.countDown();
                for (Future<String> reply : replies) {
                    assertThat(reply.get(60, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
                }
            } finally {
                pool.shutdownNow();
            }
            canary.assertServing("after the burst");
        }
    }
}
