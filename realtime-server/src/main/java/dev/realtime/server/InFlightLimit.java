package dev.realtime.server;

import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.util.Callback;

/**
 * Counts the HTTP requests in flight (body being read, or being handled) per remote address, and refuses
 * those past the cap, so one address cannot hold an unbounded number of requests and their buffers.
 * Thread-safe; an address leaves the table when its last request completes.
 */
final class InFlightLimit {
    private final int max;
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    InFlightLimit(int max) {
        this.max = max;
    }

    /** The cap per address. */
    int max() {
        return max;
    }

    /**
     * Takes a place for a request from {@code address}: the callback to complete the request with (it
     * gives the place back), or null when the address already has {@link #max()} requests in flight.
     */
    Callback acquire(String address, Callback callback) {
        boolean[] taken = {false};
        inFlight.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= max) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0] ? new Releasing(address, callback) : null;
    }

    /** How many requests from {@code address} are in flight; for tests. */
    int inFlight(String address) {
        return inFlight.getOrDefault(address, 0);
    }

    private void release(String address) {
        inFlight.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Gives the place back as the request completes, before Jetty may start the connection's next request. */
    private final class Releasing implements Callback {
        private final String address;
        private final Callback callback;

        Releasing(String address, Callback callback) {
            this.address = address;
            this.callback = callback;
        }

        @Override
        public void succeeded() {
            release(address);
            callback.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            release(address);
            callback.failed(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return callback.getInvocationType();
        }
    }
}
