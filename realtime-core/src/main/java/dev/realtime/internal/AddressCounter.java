package dev.realtime.internal;

import java.util.concurrent.ConcurrentHashMap;

/** Open connections per remote address, for {@code Limits.maxConnectionsPerIp}. Thread-safe; no entry for 0. */
final class AddressCounter {
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    /** Counts one more connection from {@code address}; false (and nothing counted) when it already has {@code max}. */
    boolean tryAcquire(String address, int max) {
        boolean[] acquired = {false};
        counts.compute(address, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            acquired[0] = true;
            return current + 1;
        });
        return acquired[0];
    }

    /** One connection from {@code address} is gone. */
    void release(String address) {
        counts.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
    }
}
