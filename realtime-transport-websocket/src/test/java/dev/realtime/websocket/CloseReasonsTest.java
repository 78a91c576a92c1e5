package dev.realtime.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CloseReasonsTest {
    @Test
    void longReasonsAreCutToWholeCharactersWithinACloseFrame() {
        String fitted = CloseReasons.fit("App key " + "é".repeat(200) + " not in this cluster");
        assertThat(fitted.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(fitted).startsWith("App key é").doesNotContain("\uFFFD");
        assertThat(CloseReasons.fit("short")).isEqualTo("short");
        assertThat(CloseReasons.fit(null)).isEmpty();
    }
}
