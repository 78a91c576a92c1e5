package dev.realtime.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes HTTP connections whose request headers do not arrive in time (slowloris). Jetty's idle timeout
 * runs between reads, so a client sending one byte a second defeats it; Jetty 12 has no header
 * timeout of its own. The clock runs from the moment a connection opens until its first request's
 * headers are complete, and on a kept-alive connection from the first byte of the next request until
 * its headers are complete. It does not run while a request is in flight (the body has its own
 * timeout), nor while a kept-alive connection is silent (the idle timeout covers that), nor at all
 * once the connection is upgraded to a WebSocket. A request counts as in flight from the moment the
 * handler gets it until it completes, however early its response is committed: a held stream of the
 * HTTP transports (committed at once, open for hours) is in flight, not a next request.
 *
 * <p>Registered as a {@link Connection.Listener} on the connector, it watches the HTTP connections and
 * sweeps them on Jetty's scheduler a few times per timeout; it reads only Jetty's public counters:
 * {@link Connection#getMessagesIn()} counts requests whose headers are complete,
 * {@link Connection#getMessagesOut()} responses, {@link Connection#getBytesIn()} bytes read; its
 * {@link #wrap handler} marks the bytes read when each request completes.
 */
final class HeaderTimeout implements Connection.Listener {
    private static final long NOT_RUNNING = Long.MIN_VALUE;

    private final long timeoutNanos;
    private final long sweepNanos;
    private final Map<Connection, Watch> watched = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Scheduler scheduler;
    private volatile Scheduler.Task task;

    HeaderTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(TimeUnit.SECONDS.toNanos(1), timeoutNanos / 4));
    }

    @Override
    public void onOpened(Connection connection) {
        // the HTTP connection, and the one that reads a WebSocket upgrade before it (it can hand its bytes
        // on); not the TLS layer under them, nor a WebSocket connection
        if (connection instanceof ConnectionMetaData || connection instanceof Connection.UpgradeFrom) {
            watched.put(connection, new Watch(System.nanoTime()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        watched.remove(connection);
    }

    /** Starts sweeping on {@code scheduler}. */
    void start(Scheduler scheduler) {
        this.scheduler = scheduler;
        schedule();
    }

    /** Stops sweeping. */
    void stop() {
        scheduler = null;
        Scheduler.Task t = task;
        if (t != null) {
            t.cancel();
        }
    }

    /** How many connections were closed for headers too slow. */
    long dropped() {
        return dropped.get();
    }

    private void schedule() {
        Scheduler s = scheduler;
        if (s != null) {
            task = s.schedule(this::sweep, sweepNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Map.Entry<Connection, Watch> e : watched.entrySet()) {
                Connection connection = e.getKey();
                EndPoint endPoint = connection.getEndPoint();
                if (!endPoint.isOpen() || endPoint.getConnection() != connection) {
                    watched.remove(connection); // closed, or upgraded (WebSocket)
                } else if (e.getValue().expired(connection, now, timeoutNanos)) {
                    watched.remove(connection);
                    dropped.incrementAndGet();
                    RealtimeServer.LOG.debug("closing {}: request headers incomplete after {} ms", endPoint.getRemoteSocketAddress(),
                            TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                    endPoint.close();
                }
            }
        } catch (RuntimeException e) {
            RealtimeServer.LOG.warn("the request header timeout sweep failed", e);
        } finally {
            schedule();
        }
    }

    /**
     * The handler to put in front of every other: as each request completes it notes how many bytes its
     * connection had read, so that bytes past that mark are the next request's.
     */
    Handler wrap(Handler handler) {
        return new Handler.Wrapper(handler) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Connection connection = request.getConnectionMetaData().getConnection();
                Watch watch = watched.get(connection);
                if (watch == null) {
                    return super.handle(request, response, callback);
                }
                watch.handling();
                return super.handle(request, response, Callback.from(() -> watch.answered(connection.getBytesIn()), callback));
            }
        };
    }

    /** The header clock of one connection: started and checked by the sweep (one at a time), marked by the handler. */
    private static final class Watch {
        private long since;
        private volatile long bytesAnswered;
        /** A request is being handled (its response may be committed and still streaming). */
        private volatile boolean handling;

        Watch(long opened) {
            this.since = opened;
        }

        /** A request reached the handler: in flight until {@link #answered}. */
        void handling() {
            handling = true;
        }

        /** A request completed after {@code bytesIn} bytes: more bytes start a next request. */
        void answered(long bytesIn) {
            bytesAnswered = bytesIn;
            handling = false;
        }

        /** Whether the connection has had a request's headers incomplete for longer than {@code timeout}. */
        boolean expired(Connection connection, long now, long timeout) {
            if (handling) {
                since = NOT_RUNNING; // a request in flight, its response committed or not
                return false;
            }
            long requests = connection.getMessagesIn();
            if (requests == 0) {
                // the first request: the clock has run since the connection opened
                return now - since > timeout;
            }
            if (requests > connection.getMessagesOut() || connection.getBytesIn() <= bytesAnswered) {
                since = NOT_RUNNING; // a request in flight, or a kept-alive connection silent since its last answer
                return false;
            }
            if (since == NOT_RUNNING) {
                since = now; // bytes of a next request
            }
            return now - since > timeout;
        }
    }
}
