package dev.realtime.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A timer whose tasks run only when the test fires them, so timeout tests need no sleeping and no
 * thresholds. Only {@code schedule(Runnable, delay, unit)} is supported (all the queue uses).
 */
final class ManualTimer extends ScheduledThreadPoolExecutor {
    private final List<Task> tasks = new ArrayList<>();

    ManualTimer() {
        super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task t = new Task(command, unit.toNanos(delay));
        tasks.add(t);
        return t;
    }

    /** Tasks scheduled and neither cancelled nor run. */
    synchronized List<Task> pending() {
        return tasks.stream().filter(t -> !t.cancelled && !t.ran).toList();
    }

    /** Runs every pending task with that delay (as if that much time passed); returns how many ran. */
    int fire(java.time.Duration delay) {
        int n = 0;
        for (Task t : pending()) {
            if (t.delayNanos == delay.toNanos()) {
                t.runNow();
                n++;
            }
        }
        return n;
    }

    /** Runs every task not run yet, cancelled ones too: a cancel can come too late to stop a task already running. */
    void fireEvenCancelled() {
        List<Task> all;
        synchronized (this) {
            all = List.copyOf(tasks);
        }
        for (Task t : all) {
            if (!t.ran) {
                t.runNow();
            }
        }
    }

    static final class Task implements ScheduledFuture<Object> {
        final Runnable command;
        final long delayNanos;
        volatile boolean cancelled;
        volatile boolean ran;

        Task(Runnable command, long delayNanos) {
            this.command = command;
            this.delayNanos = delayNanos;
        }

        void runNow() {
            ran = true;
            command.run();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return !ran;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled || ran;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
