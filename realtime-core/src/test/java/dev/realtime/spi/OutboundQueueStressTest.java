package dev.realtime.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several threads offer numbered frames while another keeps detaching and attaching new sinks of
 * every kind: completing inline or on another thread, one-shot, giving batches back. Whatever the
 * interleaving, the sinks together must receive exactly 0..N-1 in order, with never two writes at once.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a loop bug spins forever: fail, don't hang
class OutboundQueueStressTest {
    private static final int FRAMES = 200_000;
    private static final int OFFERERS = 3;
    private static final int CAPACITY = 256;

    @Test
    void framesArriveOnceInOrderWhileSinksComeAndGoWritingOnTheCallingThreads() throws Exception {
        run(b -> b);
    }

    @Test
    void framesArriveOnceInOrderWhileSinksComeAndGoWritingOnWriteSchedulerWorkers() throws Exception {
        WriteScheduler scheduler = new WriteScheduler("stress-writer", 2);
        try {
            run(b -> b.writeScheduler(scheduler));
        } finally {
            scheduler.stop();
        }
    }

    private void run(UnaryOperator<OutboundQueueBuilder> writer) throws Exception {
        ExecutorService async = Executors.newFixedThreadPool(2, DaemonThreads.factory("stress-completer"));
        Record record = new Record();
        try {
            OutboundQueue q = writer.apply(OutboundQueue.builder(CAPACITY)).build();
            Object numbering = new Object();
            int[] next = {0};
            List<Thread> offerers = new ArrayList<>();
            for (int t = 0; t < OFFERERS; t++) {
                offerers.add(DaemonThreads.factory("stress-offerer-" + t).newThread(() -> {
                    while (true) {
                        synchronized (numbering) { // the number and the queue order must agree
                            if (next[0] == FRAMES) {
                                return;
                            }
                            String frame = Integer.toString(next[0]);
                            while (!q.offer(frame)) {
                                Thread.onSpinWait(); // full (detached or slow): a sink comes soon
                            }
                            next[0]++;
                        }
                    }
                }));
            }
            offerers.forEach(Thread::start);
            int sinks = 0;
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (offerers.stream().anyMatch(Thread::isAlive)) {
                StressSink s = new StressSink(Kind.values()[rnd.nextInt(Kind.values().length)], record, async);
                boolean attached = rnd.nextInt(4) == 0 ? q.attachOnce(s) : q.attach(s);
                assertThat(attached).isTrue();
                sinks++;
                for (int spin = rnd.nextInt(2000); spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                if (rnd.nextBoolean()) {
                    q.detach(s); // else the next attach replaces it
                }
            }
            StressSink last = new StressSink(Kind.INLINE, record, async);
            q.attach(last);
            // The offerers retried offers the full queue refused, which marks it overflowed, and a close
            // after an overflow drops what is still waiting (the node closes a slow consumer at its first
            // refused offer, so it never retries): close only once every frame was handed to a sink.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (record.size() < FRAMES && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            q.close(4009, "done");
            while (last.closes.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            record.assertExactlyInOrder(FRAMES);
            assertThat(record.overlaps).as("writes in flight at once").hasValue(0);
            assertThat(record.unexpected).as("closes or aborts of sinks other than the last").isEmpty();
            assertThat(last.closes).as("the last sink gets the close, after every frame").hasValue(1);
            assertThat(sinks).as("sinks attached during the run").isGreaterThan(10);
        } finally {
            async.shutdownNow();
        }
    }

    enum Kind {
        INLINE(false, false), ASYNC(true, false), GIVES_BACK_INLINE(false, true), GIVES_BACK_ASYNC(true, true);

        final boolean async;
        final boolean givesBack;

        Kind(boolean async, boolean givesBack) {
            this.async = async;
            this.givesBack = givesBack;
        }
    }

    /** What all the sinks received, in the order the queue handed it over. */
    static final class Record {
        final List<String> received = new ArrayList<>();
        final AtomicInteger writing = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final List<String> unexpected = new ArrayList<>();

        synchronized void add(List<String> frames) {
            received.addAll(frames);
        }

        synchronized int size() {
            return received.size();
        }

        synchronized void unexpected(String what) {
            unexpected.add(what);
        }

        synchronized void assertExactlyInOrder(int n) {
            for (int i = 0; i < Math.min(n, received.size()); i++) {
                if (!received.get(i).equals(Integer.toString(i))) {
                    throw new AssertionError("frame " + i + " is " + received.get(i) + "; around it: "
                            + received.subList(Math.max(0, i - 5), Math.min(received.size(), i + 5)));
                }
            }
            assertThat(received.size()).as("frames received (of " + n + ")").isEqualTo(n);
        }
    }

    static final class StressSink implements OutboundSink {
        final Kind kind;
        final Record record;
        final ExecutorService async;
        final AtomicInteger closes = new AtomicInteger();

        StressSink(Kind kind, Record record, ExecutorService async) {
            this.kind = kind;
            this.record = record;
            this.async = async;
        }

        @Override
        public void write(List<String> frames, WriteCompletion done) {
            if (record.writing.incrementAndGet() != 1) {
                record.overlaps.incrementAndGet();
            }
            boolean giveBack = kind.givesBack && ThreadLocalRandom.current().nextInt(3) == 0;
            if (!giveBack) {
                record.add(frames);
            }
            Runnable complete = () -> {
                record.writing.decrementAndGet();
                if (giveBack) {
                    done.notWritten();
                } else {
                    done.succeeded();
                }
            };
            if (kind.async) {
                async.execute(complete);
            } else {
                complete.run();
            }
        }

        @Override
        public void close(int code, String reason) {
            if (closes.incrementAndGet() > 1 || code != 4009) {
                record.unexpected("close " + code);
            }
        }

        @Override
        public void abort() {
            record.unexpected("abort");
        }
    }
}
