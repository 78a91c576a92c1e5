package dev.realtime.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A loop of asynchronous steps, any of which may complete inline (inside the call that started it)
 * or later on another thread, run without recursion: a step that completed inline is followed by
 * the next one on the same thread, in the same loop; a step that completes later continues the loop
 * on the completing thread. The stack stays flat however many steps complete inline (a container
 * that completes every send inside {@code sendText}, a sink that completes every write inside
 * {@code write}).
 *
 * <p>Threading: steps never overlap; each runs on the thread that called {@link #run()} or on the
 * thread that completed the step before it. {@link #run()} may be called again once a step has
 * ended the loop, as long as two runs never overlap (the owner guarantees that, e.g. with a flag
 * under its lock); the fields a step writes are visible to the next step whichever thread runs it.
 */
public abstract class AsyncLoop implements Runnable {
    private static final int RUNNING = 0;
    private static final int COMPLETED_INLINE = 1;
    private static final int RETURNED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AsyncLoop.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Whether the step in progress completed inline or its starting thread returned first. */
    private volatile int state;

    /**
     * The loop scheduled before this one on the same {@link WriteScheduler} worker while this one
     * waits there (an intrusive link: scheduling a loop allocates nothing); null otherwise.
     */
    AsyncLoop nextReady;

    /** A loop; nothing runs until {@link #run()}. */
    protected AsyncLoop() {
    }

    /**
     * Starts one step: returns true when it started a step that will call {@link #stepCompleted()}
     * exactly once (inline or later, on any thread), false when the loop is over (no step started,
     * and {@code stepCompleted} must not be called). Called by the loop only, never concurrently.
     */
    protected abstract boolean step();

    /**
     * Runs steps on the calling thread until one goes asynchronous (its completion carries on) or
     * {@link #step()} ends the loop. Call it to start the loop, on any thread.
     */
    @Override
    public final void run() {
        do {
            state = RUNNING;
            if (!step()) {
                return;
            }
            // Lost the race: the step completed inline (or concurrently), so this thread carries on.
        } while (!STATE.compareAndSet(this, RUNNING, RETURNED));
    }

    /**
     * Reports that the step in progress completed, from whatever thread completed it: an inline
     * completion returns at once and the loop carries on in {@link #run()}; a later one carries the
     * loop on here, on the calling thread.
     */
    protected final void stepCompleted() {
        if (!STATE.compareAndSet(this, RUNNING, COMPLETED_INLINE)) {
            run();
        }
    }
}
