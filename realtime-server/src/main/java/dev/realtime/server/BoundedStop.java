package dev.realtime.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Stops Jetty within a bound. Its graceful stop waits up to the stop timeout for requests in flight,
 * then its thread pool waits for threads still busy (an authenticator stuck on a database, say); so the
 * stop runs on a thread of its own, and past the bound the connections still open are closed hard and
 * the stop finishes in the background. A server that cannot stop would keep SIGTERM from ending the JVM.
 */
final class BoundedStop {
    private BoundedStop() {
    }

    /** Stops {@code jetty}, waiting at most {@code bound}; past it, closes what {@code connector} still has open. */
    static void stop(Server jetty, ServerConnector connector, Duration stopTimeout, Duration bound) {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Thread stopper = new Thread(() -> {
            try {
                jetty.stop();
                stopped.complete(null);
            } catch (Throwable e) {
                stopped.completeExceptionally(e);
            }
        }, "realtime-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopped.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            RealtimeServer.LOG.warn("the server did not stop within {} ms: closing its {} remaining connections", bound.toMillis(),
                    connector.getConnectedEndPoints().size());
            connector.getConnectedEndPoints().forEach(EndPoint::close);
            connector.close();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                // Jetty stopped, but requests were still in flight when the stop timeout ran out: it cut them
                RealtimeServer.LOG.info("requests still in flight after the stop timeout of {} ms were cut", stopTimeout.toMillis());
                return;
            }
            throw new IllegalStateException("the server did not stop cleanly: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
