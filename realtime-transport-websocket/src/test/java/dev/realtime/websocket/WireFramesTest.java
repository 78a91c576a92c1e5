package dev.realtime.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireFramesTest {
    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static byte[] expectedFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer f = WireFrames.frame(WireFrames.OP_TEXT, payload);
        return bytes(f);
    }

    @Test
    void aFrameWrittenOnceStaysOnTheHeapAndAFanOutsFrameMovesToDirectMemoryWithTheSameBytes() {
        String once = new String("{\"event\":\"reply\",\"data\":\"é\"}");
        ByteBuffer first = WireFrames.text(once);
        assertThat(first.isDirect()).isFalse();
        assertThat(first.isReadOnly()).isTrue();
        assertThat(bytes(first)).isEqualTo(expectedFrame(once));

        String fanOut = new String("{\"event\":\"tick\",\"channel\":\"bench\",\"data\":\"" + "x".repeat(300) + "\"}");
        ByteBuffer a = WireFrames.text(fanOut);
        ByteBuffer b = WireFrames.text(fanOut);
        ByteBuffer c = WireFrames.text(fanOut);
        assertThat(a.isDirect()).isFalse();
        assertThat(b.isDirect()).isTrue();
        assertThat(c.isDirect()).isTrue();
        assertThat(b.isReadOnly()).isTrue();
        assertThat(bytes(a)).isEqualTo(expectedFrame(fanOut)).isEqualTo(bytes(b)).isEqualTo(bytes(c));
        assertThat(bytes(b)[1]).as("16-bit length header").isEqualTo((byte) 126);
    }

    @Test
    void eachCallerGetsItsOwnViewSoOneWritersProgressDoesNotMoveAnothers() {
        String text = new String("{\"event\":\"tick\"}");
        WireFrames.text(text);
        ByteBuffer one = WireFrames.text(text);
        ByteBuffer two = WireFrames.text(text);
        one.position(one.limit() - 1); // a socket took all but the last byte
        assertThat(two.position()).isZero();
        assertThat(two.remaining()).isEqualTo(expectedFrame(text).length);
        assertThat(WireFrames.text(text).position()).isZero();
    }

    @Test
    void anEqualButDistinctStringIsEncodedAfreshNotServedFromTheCache() {
        String first = new String("{\"n\":1}");
        WireFrames.text(first);
        WireFrames.text(first);
        String other = new String("{\"n\":2}");
        ByteBuffer b = WireFrames.text(other);
        assertThat(b.isDirect()).isFalse();
        assertThat(bytes(b)).isEqualTo(expectedFrame(other));
    }
}
