package dev.realtime.spring.autoconfigure;

import dev.realtime.Realtime;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the node first when the application stops, before the web server's graceful shutdown: every
 * client gets its queued frames and then 4200 (pusher-js reconnects, to another node behind a load
 * balancer), and held HTTP streams and polls end, so the graceful shutdown has no request to wait for.
 * It then waits, up to the shutdown timeout, for the clients to answer the close, since a container
 * that stops first cuts the connections with their last frames unsent (the client sees 1006).
 */
final class RealtimeShutdown implements SmartLifecycle {
    private final Realtime realtime;
    private final IntSupplier openConnections;
    private final Duration timeout;
    private volatile boolean running;

    /** {@code openConnections} counts the transports' connections still open (closing ones included). */
    RealtimeShutdown(Realtime realtime, IntSupplier openConnections, Duration timeout) {
        this.realtime = realtime;
        this.openConnections = openConnections;
        this.timeout = timeout;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        realtime.close();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openConnections.getAsInt() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        int left = openConnections.getAsInt();
        if (left > 0) {
            RealtimeNodeFactory.LOG.warn("realtime: {} connection(s) had not answered the close after {}; the web server "
                    + "stops them now (realtime.shutdown-timeout)", left, timeout);
        }
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
