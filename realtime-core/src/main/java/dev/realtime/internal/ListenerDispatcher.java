package dev.realtime.internal;

import dev.realtime.spi.DaemonThreads;

import dev.realtime.RealtimeListener;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs listener callbacks one at a time, in order, on the "realtime-events" thread (never an I/O thread). */
final class ListenerDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatcher.class);
    private final List<RealtimeListener> listeners;
    private final ExecutorService executor;

    ListenerDispatcher(List<RealtimeListener> listeners, String nodeId) {
        this.listeners = listeners;
        this.executor = listeners.isEmpty() ? null : new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), DaemonThreads.named("realtime-events-" + nodeId));
    }

    /** Whether anybody listens (callers skip building event objects when not). */
    boolean active() {
        return executor != null;
    }

    void fire(Consumer<RealtimeListener> call) {
        if (executor == null) {
            return;
        }
        try {
            executor.execute(() -> {
                for (RealtimeListener l : listeners) {
                    try {
                        call.accept(l);
                    } catch (RuntimeException e) {
                        LOG.warn("listener {} threw", l.getClass().getName(), e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("listener event after close dropped");
        }
    }

    /** Reports an asynchronous failure to the log and the listeners. */
    void error(String what, Throwable error) {
        LOG.warn("{}", what, error);
        fire(l -> l.error(error));
    }

    void close() {
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
