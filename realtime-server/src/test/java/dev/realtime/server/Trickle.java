package dev.realtime.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * Many raw connections that each sent a request start and then trickle one more byte every interval, on
 * one background thread: a slowloris (headers) or slow-body attack, small enough for a unit test.
 */
final class Trickle implements AutoCloseable {
    private final List<RawHttp> connections = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Opens {@code count} connections to {@code port}, writes {@code start.apply(i)} on each, then {@code filler}
     * (a byte, or a chunk) on each every {@code interval} until closed.
     */
    Trickle(int port, int count, IntFunction<String> start, String filler, Duration interval) throws IOException {
        this(null, port, count, start, filler, interval);
    }

    /** The same from the local address {@code source} (null for any). */
    Trickle(String source, int port, int count, IntFunction<String> start, String filler, Duration interval) throws IOException {
        for (int i = 0; i < count; i++) {
            RawHttp c = RawHttp.connect(source, port);
            connections.add(c);
            c.send(start.apply(i));
        }
        thread = new Thread(() -> {
            while (running) {
                for (RawHttp c : connections) {
                    c.send(filler);
                }
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "trickle");
        thread.setDaemon(true);
        thread.start();
    }

    /** The connections, in the order opened. */
    List<RawHttp> connections() {
        return connections;
    }

    /** How many of the connections the server closes within {@code timeout} (all waited for together). */
    int closedByServer(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int closed = 0;
        for (RawHttp c : connections) {
            try {
                if (c.closedByServer(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())))) {
                    closed++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return closed;
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.interrupt();
        thread.join(5_000);
        for (RawHttp c : connections) {
            c.close();
        }
    }
}
