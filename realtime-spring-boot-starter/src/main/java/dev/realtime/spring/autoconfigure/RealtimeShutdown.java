package dev.realtime.spring.autoconfigure;

import dev.realtime.Realtime;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the node first when the application stops, before the web server's graceful shutdown: every
 * client gets its queued frames and then 4200 (pusher-js reconnects, to another node behind a load
 * balancer), and held HTTP streams and polls end, so the graceful shutdown has no request to wait for.
 */
final class RealtimeShutdown implements SmartLifecycle {
    private final Realtime realtime;
    private volatile boolean running;

    RealtimeShutdown(Realtime realtime) {
        this.realtime = realtime;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        realtime.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first: above the web server's graceful shutdown phase. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
