package dev.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The cluster wire: one codec for envelopes, one place for topic names. */
class EnvelopeTest {
    @Test
    void anEventEnvelopeSurvivesTheRoundTripWithAFrameFullOfQuotes() {
        String frame = "{\"event\":\"e\",\"channel\":\"c\",\"data\":\"{\\\"text\\\":\\\"hi \\u00e9\\\"}\"}";
        Envelope read = Envelope.decode(Envelope.event("node-1", "c", "1.2", frame).encode());
        assertThat(read).isEqualTo(Envelope.event("node-1", "c", "1.2", frame));
        assertThat(read.field("frame")).isEqualTo(frame);
        assertThat(Envelope.decode(Envelope.user("n", "42", frame).encode()).field("user")).isEqualTo("42");
        assertThat(Envelope.decode(Envelope.event("n", "c", null, frame).encode()).field("except")).isNull();
    }

    @Test
    void unknownFieldsAreIgnoredAndOtherVersionsOrGarbageAreRefused() {
        Envelope future = Envelope.decode("{\"v\":1,\"origin\":\"n\",\"kind\":\"event\",\"channel\":\"c\",\"frame\":\"f\",\"x\":[1],\"y\":\"z\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(future.kind()).isEqualTo("event");
        assertThat(future.field("y")).isEqualTo("z");
        assertThat(future.field("x")).isNull();
        assertThat(Envelope.decode("{\"v\":2,\"origin\":\"n\",\"kind\":\"event\"}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(Envelope.decode("{\"v\":1,\"kind\":\"event\"}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(Envelope.decode("not json".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void topicsAreNamedAndParsedInOnePlace() {
        assertThat(Topics.parse(Topics.channel("presence-room.1"))).isEqualTo(new Topics.Topic(Topics.Kind.CHANNEL, "presence-room.1"));
        assertThat(Topics.parse(Topics.user("42"))).isEqualTo(new Topics.Topic(Topics.Kind.USER, "42"));
        assertThat(Topics.parse(Topics.CONTROL).kind()).isEqualTo(Topics.Kind.CONTROL);
        assertThat(Topics.parse("something.else")).isNull();
    }
}
