package dev.realtime.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The coalescing queue, attached to one sink for life (as a WebSocket), whose writes complete only when the test says so. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a loop bug spins forever: fail, don't hang
class OutboundQueueTest {
    /** Records writes; completes them on demand (or at once, inline, when {@code inline}). */
    static final class ManualSink implements OutboundSink {
        final List<List<String>> writes = new ArrayList<>();
        /** The lists themselves, as handed (the queue reuses them). */
        final List<List<String>> lists = new ArrayList<>();
        final List<WriteCompletion> inFlight = new ArrayList<>();
        final List<String> closes = new ArrayList<>();
        boolean inline;

        @Override
        public void write(List<String> frames, WriteCompletion done) {
            writes.add(List.copyOf(frames));
            lists.add(frames);
            if (inline) {
                done.succeeded();
            } else {
                inFlight.add(done);
            }
        }

        @Override
        public void close(int code, String reason) {
            closes.add(String.valueOf(code));
        }

        @Override
        public void abort() {
            closes.add("abort");
        }

        void completeNext() {
            inFlight.remove(0).succeeded();
        }
    }

    private final ManualSink sink = new ManualSink();
    private final OutboundStats stats = new OutboundStats();

    /** A queue writing on the offering thread, attached to {@link #sink}. */
    private OutboundQueue attached(OutboundQueueBuilder builder) {
        OutboundQueue q = builder.stats(stats).build();
        assertThat(q.attach(sink)).isTrue();
        return q;
    }

    private OutboundQueue attached(int capacity) {
        return attached(OutboundQueue.builder(capacity));
    }

    @Test
    void aFrameToAnIdleQueueIsWrittenAtOnceOnTheOfferingThread() {
        OutboundQueue q = attached(10);
        assertThat(q.offer("a")).isTrue();
        assertThat(sink.writes).containsExactly(List.of("a"));
    }

    @Test
    void framesOfferedWhileAWriteIsInFlightGoOutTogetherInTheNextWrite() {
        OutboundQueue q = attached(100);
        q.offer("f0");
        for (int i = 1; i <= 50; i++) {
            q.offer("f" + i);
        }
        assertThat(sink.writes).hasSize(1);
        sink.completeNext();
        assertThat(sink.writes).hasSize(2);
        assertThat(sink.writes.get(1)).containsExactlyElementsOf(IntStream.rangeClosed(1, 50).mapToObj(i -> "f" + i).toList());
        sink.completeNext();
        assertThat(sink.writes).hasSize(2);
        assertThat(stats.writes()).isEqualTo(2);
        assertThat(stats.frames()).isEqualTo(51);
        q.offer("later");
        assertThat(sink.writes.get(2)).containsExactly("later");
    }

    @Test
    void aSmallBatchsListIsReusedOnceWrittenAndABigBatchsIsDropped() {
        OutboundQueue q = attached(100);
        q.offer("a");
        q.offer("b");
        q.offer("c");
        sink.completeNext();
        q.offer("d");
        sink.completeNext();
        assertThat(sink.writes).containsExactly(List.of("a"), List.of("b", "c"), List.of("d"));
        assertThat(sink.lists.get(2)).isSameAs(sink.lists.get(0)); // no list allocated per write
        assertThat(sink.lists.get(0)).containsExactly("d"); // emptied before reuse, not appended to

        for (int i = 0; i < 20; i++) {
            q.offer("big" + i);
        }
        sink.completeNext();
        sink.completeNext();
        q.offer("e");
        sink.completeNext();
        assertThat(sink.writes.get(3)).hasSize(20);
        assertThat(sink.writes.get(4)).containsExactly("e");
        // a connection that once had a backlog keeps no list sized for it
        assertThat(sink.lists.subList(4, sink.lists.size())).noneMatch(l -> l == sink.lists.get(3));
        assertThat(sink.lists.get(3)).hasSize(20);
    }

    @Test
    void writesCompletedInlineKeepOneFramePerWriteWithoutRecursion() {
        sink.inline = true;
        OutboundQueue q = attached(10);
        for (int i = 0; i < 100_000; i++) {
            q.offer("x");
        }
        assertThat(stats.writes()).isEqualTo(100_000);
    }

    @Test
    void offerFailsWhenCapacityFramesAreWaitingOrInFlight() {
        OutboundQueue q = attached(3);
        assertThat(q.offer("1")).isTrue();
        assertThat(q.offer("2")).isTrue();
        assertThat(q.offer("3")).isTrue();
        assertThat(q.offer("4")).isFalse();
        sink.completeNext();
        assertThat(q.offer("4")).isTrue();
    }

    @Test
    void closeWaitsForQueuedFramesThenClosesOnce() {
        OutboundQueue q = attached(10);
        q.offer("error");
        q.offer("more");
        q.close(4001, "bye");
        q.close(4002, "again");
        assertThat(q.offer("after close")).isTrue();
        assertThat(sink.closes).isEmpty();
        sink.completeNext();
        assertThat(sink.writes.get(1)).containsExactly("more");
        assertThat(sink.closes).isEmpty();
        sink.completeNext();
        assertThat(sink.closes).containsExactly("4001");
        assertThat(sink.writes).hasSize(2);
    }

    @Test
    void closeOfAnIdleQueueIsImmediate() {
        OutboundQueue q = attached(10);
        q.close(4201, "pong");
        assertThat(sink.closes).containsExactly("4201");
        assertThat(q.isOpen()).isFalse();
    }

    @Test
    void closeAfterAnOverflowDropsTheBacklogButFinishesTheWriteInFlightThenWritesTheCloseFrame() {
        OutboundQueue q = attached(2);
        q.offer("1");
        q.offer("2");
        assertThat(q.offer("3")).isFalse();
        q.close(4100, "slow");
        assertThat(sink.closes).as("never a close frame in the middle of a write").isEmpty();
        sink.completeNext();
        assertThat(sink.writes).as("the backlog (\"2\") is dropped").containsExactly(List.of("1"));
        assertThat(sink.closes).containsExactly("4100");
    }

    @Test
    void aCloseNotTakenWithinTheCloseTimeoutAbortsTheWire() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            List<String> closes = new CopyOnWriteArrayList<>();
            CountDownLatch aborted = new CountDownLatch(1);
            OutboundQueue q = OutboundQueue.builder(2).stats(stats).timer(timer).closeTimeout(Duration.ofMillis(50)).build();
            q.attach(new OutboundSink() {
                @Override
                public void write(List<String> frames, WriteCompletion done) {
                    // never completes: the peer reads nothing
                }

                @Override
                public void close(int code, String reason) {
                    closes.add(String.valueOf(code));
                }

                @Override
                public void abort() {
                    closes.add("abort");
                    aborted.countDown();
                }
            });
            q.offer("1");
            q.offer("2");
            q.offer("3");
            q.close(4100, "slow");
            assertThat(aborted.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(closes).containsExactly("abort");
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aCloseTakenInTimeIsNotAborted() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            OutboundQueue q = attached(OutboundQueue.builder(10).timer(timer).closeTimeout(Duration.ofMillis(50)));
            q.close(4200, "bye");
            q.terminated(); // the container reports the wire closed
            timer.schedule(() -> { }, 200, TimeUnit.MILLISECONDS).get();
            assertThat(sink.closes).containsExactly("4200");
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aFailedWriteStopsWriting() {
        OutboundQueue q = attached(10);
        q.offer("1");
        q.offer("2");
        sink.inFlight.remove(0).failed(new java.io.IOException("reset"));
        assertThat(q.isOpen()).isFalse();
        q.offer("3");
        assertThat(sink.writes).hasSize(1);
    }

    @Test
    void withASchedulerTheOffererOnlyQueuesAndOneFlushWritesEverythingQueuedSince() {
        List<Runnable> scheduled = new ArrayList<>();
        sink.inline = true;
        OutboundQueue q = attached(OutboundQueue.builder(10).writeExecutor(scheduled::add));
        q.offer("a");
        q.offer("b");
        q.offer("c");
        assertThat(sink.writes).as("nothing written on the offering thread").isEmpty();
        assertThat(scheduled).as("scheduled once, not once per frame").hasSize(1);
        scheduled.remove(0).run();
        assertThat(sink.writes).containsExactly(List.of("a", "b", "c"));
        q.offer("d");
        assertThat(scheduled).as("an idle queue is scheduled again at once").hasSize(1);
        scheduled.remove(0).run();
        assertThat(sink.writes).containsExactly(List.of("a", "b", "c"), List.of("d"));
    }

    @Test
    void aCloseRequestedWhileScheduledWritesTheQueuedFramesFirst() {
        List<Runnable> scheduled = new ArrayList<>();
        sink.inline = true;
        OutboundQueue q = attached(OutboundQueue.builder(10).writeExecutor(scheduled::add));
        q.offer("error");
        q.close(4009, "bye");
        assertThat(sink.closes).isEmpty();
        scheduled.remove(0).run();
        assertThat(sink.writes).containsExactly(List.of("error"));
        assertThat(sink.closes).containsExactly("4009");
    }

    @Test
    void writeSchedulerWorkersFlushOnTheirOwnThread() throws Exception {
        WriteScheduler scheduler = new WriteScheduler("test-writer", 2);
        try {
            CompletableFuture<String> writer = new CompletableFuture<>();
            OutboundQueue q = OutboundQueue.builder(10).stats(stats).writeScheduler(scheduler)
                    .closeTimeout(Duration.ofSeconds(1)).build();
            q.attach(new OutboundSink() {
                @Override
                public void write(List<String> frames, WriteCompletion done) {
                    writer.complete(Thread.currentThread().getName() + " " + frames);
                    done.succeeded();
                }

                @Override
                public void close(int code, String reason) {
                }

                @Override
                public void abort() {
                }
            });
            q.offer("x");
            assertThat(writer.get(5, TimeUnit.SECONDS)).startsWith("test-writer-").endsWith("[x]");
        } finally {
            scheduler.stop();
        }
    }

    @Test
    void buildRejectsSettingsThatDoNotFitTogetherAndSaysWhatToChange() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutboundQueue.builder(0)
                        .closeTimeout(Duration.ofSeconds(1)).detachTimeout(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity must be positive, got 0")
                .hasMessageContaining("closeTimeout PT1S needs a timer")
                .hasMessageContaining("detachTimeout PT1S needs a timer")
                .hasMessageContaining("detachTimeout needs onExpired");
    }
}
