package dev.realtime.bench.ws;

import java.util.function.BooleanSupplier;

/** Bounded polling waits shared by the benchmarks: every wait ends, met or not; callers check the condition after. */
public final class Waits {
    private static final long POLL_MILLIS = 5;

    private Waits() {
    }

    /** Polls {@code done} until it holds or {@code millis} have passed. */
    public static void until(BooleanSupplier done, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
    }
}
