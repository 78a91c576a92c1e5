package dev.realtime.example.social;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MicrosecondClockTest {
    @Test
    void instantsAreCutToMicrosecondsAndMillisStillWork() {
        Clock fixed = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456789Z"), ZoneOffset.UTC);
        MicrosecondClock clock = new MicrosecondClock(fixed);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(clock.millis()).isEqualTo(fixed.millis());
        assertThat(new MicrosecondClock(Clock.systemUTC()).millis()).isPositive();
    }
}
