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
    void aFrameWrittenToAFewStaysOnTheHeapAndAFanOutsFrameMovesToDirectMemoryWithTheSameBytes() {
        String once = new String("{\"event\":\"reply\",\"data\":\"é\"}");
        ByteBuffer first = WireFrames.text(once);
        assertThat(first.isDirect()).isFalse();
        assertThat(first.isReadOnly()).isTrue();
        assertThat(bytes(first)).isEqualTo(expectedFrame(once));

        String fanOut = new String("{\"event\":\"tick\",\"channel\":\"bench\",\"data\":\"" + "x".repeat(300) + "\"}");
        java.util.List<ByteBuffer> views = new java.util.ArrayList<>();
        for (int i = 0; i < WireFrames.directAfter + 2; i++) {
            views.add(WireFrames.text(fanOut));
        }
        for (int i = 0; i < views.size(); i++) {
            ByteBuffer v = views.get(i);
            assertThat(v.isDirect()).as("delivery %d", i + 1).isEqualTo(i + 1 >= WireFrames.directAfter);
            assertThat(v.isReadOnly()).isTrue();
            assertThat(bytes(v)).as("delivery %d", i + 1).isEqualTo(expectedFrame(fanOut));
        }
        assertThat(bytes(views.get(views.size() - 1))[1]).as("16-bit length header").isEqualTo((byte) 126);
    }

    @Test
    void withTheThresholdAtOneEveryFrameIsWrittenFromDirectMemoryFromItsFirstDelivery() {
        int before = WireFrames.directAfter;
        WireFrames.directAfter = 1;
        try {
            String text = new String("{\"event\":\"first\"}");
            ByteBuffer first = WireFrames.text(text);
            assertThat(first.isDirect()).isTrue();
            assertThat(bytes(first)).isEqualTo(expectedFrame(text));
            assertThat(WireFrames.text(text).isDirect()).isTrue();
        } finally {
            WireFrames.directAfter = before;
        }
    }

    @Test
    void eachCallerGetsItsOwnViewSoOneWritersProgressDoesNotMoveAnothers() {
        String text = new String("{\"event\":\"tick\"}");
        for (int i = 0; i < WireFrames.directAfter; i++) {
            WireFrames.text(text);
        }
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
        for (int i = 0; i < WireFrames.directAfter; i++) {
            WireFrames.text(first);
        }
        String other = new String("{\"n\":2}");
        ByteBuffer b = WireFrames.text(other);
        assertThat(b.isDirect()).isFalse();
        assertThat(bytes(b)).isEqualTo(expectedFrame(other));
    }

    @Test
    void twoEventsQueuedForEachConnectionAreEncodedOnceEachAndBothMoveToDirectMemory() {
        // a writer behind a fan-out writes event A then event B to each connection, in turn
        String a = new String("{\"event\":\"a\"}");
        String b = new String("{\"event\":\"b\"}");
        long before = WireFrames.encodings;
        WireFrames.text(a);
        WireFrames.text(b);
        for (int i = 1; i < WireFrames.directAfter - 1; i++) {
            ByteBuffer va = WireFrames.text(a);
            ByteBuffer vb = WireFrames.text(b);
            assertThat(va.isDirect()).as("A, delivery %d", i + 1).isFalse();
            assertThat(vb.isDirect()).as("B, delivery %d", i + 1).isFalse();
            assertThat(bytes(va)).isEqualTo(expectedFrame(a));
            assertThat(bytes(vb)).isEqualTo(expectedFrame(b));
        }
        ByteBuffer lastA = WireFrames.text(a);
        ByteBuffer lastB = WireFrames.text(b);
        assertThat(lastA.isDirect()).as("A at delivery %d", WireFrames.directAfter).isTrue();
        assertThat(lastB.isDirect()).as("B at delivery %d", WireFrames.directAfter).isTrue();
        assertThat(bytes(lastA)).isEqualTo(expectedFrame(a));
        assertThat(bytes(lastB)).isEqualTo(expectedFrame(b));
        assertThat(WireFrames.encodings - before).as("texts encoded for %d deliveries of each", WireFrames.directAfter)
                .isEqualTo(2);
    }

    @Test
    void writerThreadsSharingTheCacheEachGetTheFrameOfTheirOwnText() throws Exception {
        int threads = 4;
        int texts = WireFrames.RECENT * 3; // more than the cache holds: entries are replaced under the readers
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int round = 0; round < 2_000; round++) {
                        String text = new String("{\"thread\":" + thread + ",\"n\":" + (round % texts) + "}");
                        for (int d = 0; d < 3; d++) {
                            assertThat(bytes(WireFrames.text(text))).isEqualTo(expectedFrame(text));
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            for (java.util.concurrent.Future<Integer> r : results) {
                assertThat(r.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(6_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
