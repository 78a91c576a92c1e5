package dev.realtime.internal;

/** A token bucket of {@code capacity} tokens refilled at {@code capacity} per second. Not thread-safe. */
final class TokenBucket {
    private final int capacity;
    private double tokens;
    private long last;

    TokenBucket(int capacity, long nowNanos) {
        this.capacity = capacity;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * (capacity / 1e9));
            last = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
