package dev.realtime.internal;

import java.util.concurrent.ThreadFactory;

/** Thread factories for the node's own threads: daemon threads with a readable name. */
final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Daemon threads all named {@code name} (for single-thread executors). */
    static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
