package dev.realtime.spring.autoconfigure;

import dev.realtime.Realtime;
import dev.realtime.spi.Transport;
import java.util.List;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the starter's transports on the context's {@link Realtime} node before the web server takes
 * requests (whether the node is the starter's or the application's own), and says whether they run.
 */
public final class RealtimeTransports implements SmartLifecycle {
    /** Before the web server starts (and, stopping in reverse, after it has stopped). */
    static final int PHASE = 0;

    private final Realtime realtime;
    private final List<Transport> transports;
    private volatile boolean running;

    RealtimeTransports(Realtime realtime, List<Transport> transports) {
        this.realtime = realtime;
        this.transports = List.copyOf(transports);
    }

    @Override
    public void start() {
        for (Transport t : transports) {
            realtime.addTransport(t);
        }
        running = true;
    }

    /** The transports stop with the node ({@link RealtimeShutdown} closes it first). */
    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The transports' names, e.g. websocket, http. */
    public List<String> names() {
        return transports.stream().map(RealtimeTransports::name).toList();
    }

    private static String name(Transport t) {
        String simple = t.getClass().getSimpleName();
        return simple.startsWith("Jakarta") ? "websocket" : simple.startsWith("Http") ? "http" : simple;
    }
}
