package dev.realtime.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes connections' queued frames on a few dedicated threads, so that a fan-out only queues. A
 * connection is always flushed by the same worker; a worker takes every frame a connection queued
 * since its last write. When the workers keep up, each frame is written as soon as it is queued;
 * when they fall behind (high load), frames pile up per connection and go out together, one write
 * for many frames. That is the adaptive coalescing: no timer, and the batch size follows the load.
 * Also holds the one timer thread of the queues it serves (close and detach timeouts).
 *
 * <p>One per transport, shared by its connections ({@link OutboundQueueBuilder#writeScheduler}).
 * Threading: every method is safe from any thread; the workers and the timer are daemon threads.
 */
public final class WriteScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(WriteScheduler.class);

    private final Worker[] workers;
    private final AtomicInteger next = new AtomicInteger();
    /** Close and detach timeouts; one thread, rarely busy. */
    private final ScheduledThreadPoolExecutor timer;

    /**
     * Starts {@code threads} workers named {@code namePrefix-1…n} and a timer named
     * {@code namePrefix-timer}.
     */
    public WriteScheduler(String namePrefix, int threads) {
        ThreadFactory names = DaemonThreads.factory(namePrefix);
        workers = new Worker[Math.max(1, threads)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(names);
        }
        timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(namePrefix + "-timer"));
        // A connection that closes in time cancels its timeout: don't keep the task until it would have run.
        timer.setRemoveOnCancelPolicy(true);
    }

    /** The default number of workers: one per core. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Stops the workers once they have written what is already scheduled (close frames included), and
     * the timer at once (pending timeouts do not run). Queues still using the scheduler write nothing
     * more. Idempotent.
     */
    public void stop() {
        for (Worker w : workers) {
            w.stop();
        }
        timer.shutdownNow();
    }

    /** The timer for close and detach timeouts. */
    ScheduledExecutorService timer() {
        return timer;
    }

    /** The worker of one new queue (round-robin). */
    Executor assign() {
        return workers[Math.floorMod(next.getAndIncrement(), workers.length)];
    }

    /**
     * One thread draining the connections that have frames to write. A fan-out schedules a thousand
     * connections at once, so scheduling one must be cheap: a write loop ({@link AsyncLoop}, what
     * every {@link OutboundQueue} hands it) is pushed onto a lock-free stack through its own link
     * field, one compare-and-set and no allocation; the worker takes the whole stack with one swap
     * and runs it oldest first. A {@code ConcurrentLinkedQueue} here allocated a node and made two
     * atomic updates per scheduled connection: its {@code offer} was 4.3 % of the server's CPU at
     * 100 000 deliveries/s (async-profiler, BENCHMARKS.md). Other tasks (the executor's contract
     * allows any) wait in a plain queue, after the loops.
     */
    private static final class Worker implements Executor, Runnable {
        private static final VarHandle READY;

        static {
            try {
                READY = MethodHandles.lookup().findVarHandle(Worker.class, "ready", AsyncLoop.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** The loop scheduled last; each links to the one scheduled before it ({@link AsyncLoop#nextReady}). */
        private volatile AsyncLoop ready;
        private final ConcurrentLinkedQueue<Runnable> others = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean sleeping = new AtomicBoolean();
        private final Thread thread;
        private volatile boolean stopped;

        Worker(ThreadFactory names) {
            thread = names.newThread(this);
            thread.start();
        }

        @Override
        public void execute(Runnable flush) {
            if (flush instanceof AsyncLoop loop) {
                // Its owner never schedules a loop that is still waiting here (OutboundQueue's writing
                // flag), so its link is free.
                AsyncLoop top;
                do {
                    top = ready;
                    loop.nextReady = top;
                } while (!READY.compareAndSet(this, top, loop));
            } else {
                others.offer(flush);
            }
            // Wake the worker only when it sleeps: one unpark per burst, not one per frame.
            if (sleeping.get() && sleeping.compareAndSet(true, false)) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            AsyncLoop batch = null; // taken from the stack, oldest first
            while (true) {
                if (batch == null) {
                    batch = oldestFirst((AsyncLoop) READY.getAndSet(this, (AsyncLoop) null));
                }
                Runnable task;
                if (batch != null) {
                    task = batch;
                    AsyncLoop next = batch.nextReady;
                    batch.nextReady = null; // before it runs: once it ends, its owner may schedule it again
                    batch = next;
                } else {
                    task = others.poll();
                }
                if (task == null) {
                    if (stopped) {
                        return; // stop() lets the worker write what was queued before it (the close frames)
                    }
                    sleeping.set(true);
                    if (ready == null && others.isEmpty() && !stopped) {
                        LockSupport.park(this);
                    }
                    sleeping.set(false);
                    continue;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("flushing a connection failed", e);
                }
            }
        }

        /** Reverses a stack taken from {@link #ready} (newest first) into the order it was scheduled in. */
        private static AsyncLoop oldestFirst(AsyncLoop newest) {
            AsyncLoop oldest = null;
            while (newest != null) {
                AsyncLoop before = newest.nextReady;
                newest.nextReady = oldest;
                oldest = newest;
                newest = before;
            }
            return oldest;
        }

        void stop() {
            stopped = true;
            LockSupport.unpark(thread);
        }
    }
}
