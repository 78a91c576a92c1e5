package dev.realtime.websocket;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes connections' queued frames on a few dedicated threads, so that a fan-out only queues. A
 * connection is always flushed by the same worker; a worker takes every frame a connection queued
 * since its last write. When the workers keep up, each frame is written as soon as it is queued;
 * when they fall behind (high load), frames pile up per connection and go out together, one write
 * for many frames. That is the adaptive coalescing: no timer, and the batch size follows the load.
 */
final class WriteScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(WriteScheduler.class);

    private final Worker[] workers;
    private final AtomicInteger next = new AtomicInteger();
    /** Close timeouts (a peer that does not take its close frame is dropped); one thread, rarely busy. */
    private final ScheduledExecutorService timer;

    WriteScheduler(String name, int threads) {
        workers = new Worker[Math.max(1, threads)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(name + "-" + i);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** The timer for close timeouts. */
    ScheduledExecutorService timer() {
        return timer;
    }

    /** The default size: one worker per core. */
    static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The scheduling function for one new connection (round-robin over the workers). */
    Consumer<OutboundQueue> assign() {
        return workers[Math.floorMod(next.getAndIncrement(), workers.length)];
    }

    /** Stops the workers once they have written what is already queued (close frames included). */
    void stop() {
        for (Worker w : workers) {
            w.stop();
        }
        timer.shutdownNow();
    }

    /** One thread draining a queue of connections that have frames to write. */
    private static final class Worker implements Consumer<OutboundQueue>, Runnable {
        private final ConcurrentLinkedQueue<OutboundQueue> ready = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean sleeping = new AtomicBoolean();
        private final Thread thread;
        private volatile boolean stopped;

        Worker(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void accept(OutboundQueue queue) {
            ready.offer(queue);
            // Wake the worker only when it sleeps: one unpark per burst, not one per frame.
            if (sleeping.get() && sleeping.compareAndSet(true, false)) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            while (true) {
                OutboundQueue q = ready.poll();
                if (q == null) {
                    if (stopped) {
                        return; // stop() lets the worker write what was queued before it (the close frames)
                    }
                    sleeping.set(true);
                    if (ready.isEmpty() && !stopped) {
                        LockSupport.park(this);
                    }
                    sleeping.set(false);
                    continue;
                }
                try {
                    q.flush();
                } catch (RuntimeException e) {
                    LOG.warn("flushing a connection failed", e);
                }
            }
        }

        void stop() {
            stopped = true;
            LockSupport.unpark(thread);
        }
    }
}
