package dev.realtime.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriteSchedulerTest {
    private final WriteScheduler scheduler = new WriteScheduler("scheduler-test", 1);

    @AfterEach
    void stop() {
        scheduler.stop();
    }

    /** A write loop of one step that runs {@code body} and ends. */
    private static AsyncLoop loop(Runnable body) {
        return new AsyncLoop() {
            @Override
            protected boolean step() {
                body.run();
                return false;
            }
        };
    }

    @Test
    void loopsScheduledWhileTheWorkerIsBusyRunOldestFirstAndOtherTasksToo() throws Exception {
        Executor worker = scheduler.assign();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        worker.execute(loop(() -> {
            busy.countDown();
            await(release);
        }));
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        List<Integer> order = new ArrayList<>(); // written by the worker only
        for (int i = 0; i < 100; i++) {
            int n = i;
            worker.execute(loop(() -> order.add(n)));
        }
        CountDownLatch plain = new CountDownLatch(1);
        worker.execute(plain::countDown); // not a loop: the executor's contract takes any task
        release.countDown();
        assertThat(plain.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch last = new CountDownLatch(1);
        worker.execute(loop(last::countDown));
        assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertThat(order).isEqualTo(expected);
    }

    @Test
    void loopsScheduledAgainAndAgainFromManyThreadsEachRunOncePerScheduling() throws Exception {
        Executor worker = scheduler.assign();
        int producers = 4;
        int loopsPerProducer = 50;
        int rounds = 2_000;
        AtomicLong runs = new AtomicLong();
        AtomicInteger overlaps = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            Thread t = new Thread(() -> {
                // like OutboundQueue's writing flag: a loop is scheduled again only once its run ended
                AtomicBoolean[] waiting = new AtomicBoolean[loopsPerProducer];
                AsyncLoop[] loops = new AsyncLoop[loopsPerProducer];
                for (int i = 0; i < loopsPerProducer; i++) {
                    AtomicBoolean w = new AtomicBoolean();
                    waiting[i] = w;
                    loops[i] = loop(() -> {
                        runs.incrementAndGet();
                        if (!w.compareAndSet(true, false)) {
                            overlaps.incrementAndGet();
                        }
                    });
                }
                int scheduled = 0;
                while (scheduled < rounds * loopsPerProducer) {
                    for (int i = 0; i < loopsPerProducer && scheduled < rounds * loopsPerProducer; i++) {
                        if (waiting[i].compareAndSet(false, true)) {
                            worker.execute(loops[i]);
                            scheduled++;
                        }
                    }
                    Thread.onSpinWait();
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        long expected = (long) producers * loopsPerProducer * rounds;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (runs.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(runs.get()).as("runs of loops scheduled %d times", expected).isEqualTo(expected);
        assertThat(overlaps.get()).as("runs without a scheduling").isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
