package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.ReceivedFrame;
import dev.realtime.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad frames get {@code pusher:error} 4200 and the connection keeps working. */
class MalformedInputTest extends RealtimeTestSupport {
    private final InMemoryTransport memory = new InMemoryTransport();
    private Realtime realtime;

    @BeforeEach
    void start() {
        realtime = builder(memory).limits(Limits.builder().maxMessageBytes(2048).maxPayloadBytes(1024).build()).build();
    }

    @AfterEach
    void close() {
        realtime.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"event\":", "[1,2]", "\"text\"", "42", "null", "{}", "{\"event\":42}",
            "{\"event\":null}", "{\"event\":\"\"}", "{\"event\":{\"a\":1}}", "{\"event\":\"pusher:unknown\"}",
            "{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"x\"}", "{\"event\":\"custom\"}",
            "{\"event\":\"pusher:unsubscribe\",\"data\":[]}", "{\"event\":\"client-x\"}"})
    void badFrameGets4200AndTheConnectionSurvives(String frame) {
        TestClient c = memory.connect().subscribe("news");
        c.send(frame);
        ReceivedFrame error = c.awaitError();
        assertThat(error.errorCode()).isEqualTo(4200);
        assertThat(error.dataMap().get("message").toString()).isNotBlank();
        assertThat(c.isOpen()).isTrue();
        realtime.broadcast("news", "still-here", "1");
        c.awaitEvent("news", "still-here");
    }

    @Test
    void oversizedMessageGetsAnErrorAndNothingElseBreaks() {
        TestClient c = memory.connect().subscribe("news");
        c.send("{\"event\":\"pusher:ping\",\"data\":\"" + "x".repeat(3000) + "\"}");
        assertThat(c.awaitError().data()).contains("larger than 2048 bytes");
        assertThat(c.received(null, "pusher:pong")).isFalse();
        c.send("{\"event\":\"pusher:ping\"}");
        c.awaitEvent(null, "pusher:pong");
    }

    @Test
    void multiByteCharactersCountAsBytes() {
        TestClient c = memory.connect().subscribe("news");
        c.send("{\"event\":\"pusher:ping\",\"data\":\"" + "é".repeat(1100) + "\"}");
        assertThat(c.awaitError().data()).contains("larger than 2048 bytes");
    }

    @Test
    void floodOfSubscribesIsCutOffAndOthersAreServed() {
        TestClient flooder = memory.connect();
        TestClient bystander = memory.connect().subscribe("news");
        for (int i = 0; i < 3000; i++) { // far more than the guard lets through in the time they take, even on a busy machine
            flooder.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"flood-" + i + "\"}}");
        }
        assertThat(flooder.frames()).anyMatch(f -> f.errorCode() == 4301);
        assertThat(flooder.frames()).anyMatch(f -> "pusher:subscription_error".equals(f.event())
                && f.dataMap().get("type").equals("LimitReached"));
        assertThat(realtime.channels("flood-")).hasSizeLessThanOrEqualTo(Limits.DEFAULT_MAX_CHANNELS_PER_CONNECTION);
        realtime.broadcast("news", "e", Map.of());
        bystander.awaitEvent("news", "e");
    }

    @Test
    void aFloodCannotFillItsSendersQueueWithReplies() {
        realtime.close();
        realtime = builder(memory).limits(Limits.builder().inboundMessagesPerSecond(50).outboundQueueFrames(100).build()).build();
        TestClient flooder = memory.connect();
        TestClient bystander = memory.connect().subscribe("news");
        flooder.pauseReading(); // every reply now counts against its queue of 100
        for (int i = 0; i < 3000; i++) {
            flooder.send("{\"event\":\"pusher:ping\",\"data\":{}}");
        }
        assertThat(flooder.isOpen()).as("not closed as a slow consumer by its own error replies").isTrue();
        flooder.resumeReading();
        long floodErrors = flooder.frames().stream().filter(f -> f.errorCode() == 4301).count();
        long pongs = flooder.frames().stream().filter(f -> "pusher:pong".equals(f.event())).count();
        assertThat(floodErrors).as("one 4301 a second at most").isBetween(1L, 3L);
        assertThat(pongs).as("what the bucket let through was answered").isBetween(50L, 99L);
        assertThat(flooder.frames().stream().filter(f -> f.errorCode() == 4301).findFirst().orElseThrow()
                .dataMap().get("message").toString()).contains("at most 50 per second");
        realtime.broadcast("news", "e", Map.of());
        bystander.awaitEvent("news", "e");
    }

    @Test
    void inboundMessagesPerSecondMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Limits.builder().inboundMessagesPerSecond(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inboundMessagesPerSecond");
    }
}
