package dev.realtime.example.social;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * A clock in whole microseconds, the precision both databases store, so a time the API returns equals the
 * one it reads back. (Not {@code Clock.tick(clock, 1 µs)}: Java 17's tick clock divides by zero in
 * {@code millis()} for ticks under a millisecond.)
 */
final class MicrosecondClock extends Clock {
    private final Clock clock;

    MicrosecondClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant instant() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public long millis() {
        return clock.millis();
    }

    @Override
    public ZoneId getZone() {
        return clock.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MicrosecondClock(clock.withZone(zone));
    }
}
