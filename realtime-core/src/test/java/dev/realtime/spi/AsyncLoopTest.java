package dev.realtime.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a loop bug spins forever: fail, don't hang
class AsyncLoopTest {
    /** A loop of {@code steps} steps, each completed by {@code complete}. */
    abstract static class Counting extends AsyncLoop {
        final int steps;
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger inStep = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);

        Counting(int steps) {
            this.steps = steps;
        }

        @Override
        protected boolean step() {
            if (inStep.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            try {
                if (started.get() == steps) {
                    done.countDown();
                    return false;
                }
                started.incrementAndGet();
                start();
                return true;
            } finally {
                inStep.decrementAndGet();
            }
        }

        /** Starts one step; it must call {@link #stepCompleted()} once. */
        abstract void start();

        void complete() {
            stepCompleted();
        }
    }

    @Test
    void stepsCompletedInlineRunOnTheStartingThreadWithoutRecursion() {
        List<Integer> depths = new ArrayList<>();
        Counting loop = new Counting(100_000) {
            @Override
            void start() {
                if (started.get() % 10_000 == 0) {
                    depths.add(new Throwable().getStackTrace().length);
                }
                complete();
            }
        };
        loop.run();
        assertThat(loop.done.getCount()).isZero();
        assertThat(depths).as("the stack does not grow with the steps").hasSize(10).containsOnly(depths.get(0));
    }

    @Test
    void aStepCompletedLaterContinuesTheLoopOnTheCompletingThread() throws Exception {
        List<String> threads = new ArrayList<>();
        Counting loop = new Counting(2) {
            @Override
            void start() {
                threads.add(Thread.currentThread().getName());
            }
        };
        loop.run(); // starts step 1, which does not complete: run returns
        assertThat(threads).hasSize(1);
        Thread completer = DaemonThreads.named("completer").newThread(loop::complete);
        completer.start();
        completer.join();
        assertThat(threads).containsExactly(Thread.currentThread().getName(), "completer");
        loop.complete();
        assertThat(loop.done.getCount()).isZero();
    }

    @Test
    void stepsCompletingOnAnotherThreadAsTheyStartNeverOverlapAndAllRunOnce() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor(DaemonThreads.factory("loop-completer"));
        try {
            Counting loop = new Counting(200_000) {
                @Override
                void start() {
                    if (started.get() % 2 == 0) {
                        other.execute(this::complete); // races with the starting thread's return
                    } else {
                        complete();
                    }
                }
            };
            loop.run();
            assertThat(loop.done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(loop.started).hasValue(200_000);
            assertThat(loop.overlaps).hasValue(0);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aLoopThatEndedCanBeStartedAgain() {
        AtomicInteger steps = new AtomicInteger();
        AsyncLoop loop = new AsyncLoop() {
            @Override
            protected boolean step() {
                if (steps.incrementAndGet() % 3 == 0) {
                    return false;
                }
                stepCompleted();
                return true;
            }
        };
        loop.run();
        loop.run();
        assertThat(steps).hasValue(6);
    }
}
