package dev.realtime.spi;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread factory of the library and its transports: every thread is a daemon (a node never
 * keeps the JVM alive on its own; {@code Realtime.close()} and {@code Transport.stop()} end the
 * threads) and carries a name that says whose it is in a thread dump.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /**
     * Daemon threads named {@code namePrefix-1}, {@code namePrefix-2}, … in creation order, for pools.
     * The factory is safe to use from any thread.
     */
    public static ThreadFactory factory(String namePrefix) {
        return new Factory(namePrefix, true);
    }

    /**
     * Daemon threads all named exactly {@code name}, for an executor that only ever has one thread
     * (a timer). The factory is safe to use from any thread.
     */
    public static ThreadFactory named(String name) {
        return new Factory(name, false);
    }

    private static final class Factory implements ThreadFactory {
        private final String name;
        private final boolean numbered;
        private final AtomicInteger count = new AtomicInteger();

        Factory(String name, boolean numbered) {
            this.name = Objects.requireNonNull(name, "name");
            this.numbered = numbered;
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread t = new Thread(task, numbered ? name + "-" + count.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        }
    }
}
