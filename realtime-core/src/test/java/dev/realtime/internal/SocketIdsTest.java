package dev.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SocketIdsTest {
    @Test
    void idsArePusherShapedAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = SocketIds.next();
            assertThat(id).matches("[1-9]\\d{0,9}\\.[1-9]\\d{0,9}");
            assertThat(SocketIds.valid(id)).isTrue();
            for (String part : id.split("\\.")) {
                assertThat(Long.parseLong(part)).isBetween(1L, 1_000_000_000L);
            }
            assertThat(seen.add(id)).as("socket id %s drawn twice", id).isTrue();
        }
    }

    @Test
    void oneDrbgCallServesManyIds() {
        CountingRandom drbg = new CountingRandom();
        SocketIds.RandomInts ints = new SocketIds.RandomInts(drbg);
        for (int i = 0; i < 1280; i++) { // 640 ids
            ints.below(1_000_000_000);
        }
        // 512-byte blocks, 4 bytes a draw, about 7 % of draws rejected for 10^9: 11 blocks, not 1 280 calls
        assertThat(drbg.calls).isBetween(10, 13);
    }

    @Test
    void drawsAre31BitsOfTheBytesAndTheLastPartialRangeIsRejected() {
        // 0xFFFFFFFF >>> 1 = 2 147 483 647 falls in the partial range above 2 × 10^9: drawn again
        FixedRandom bytes = new FixedRandom(0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x10);
        SocketIds.RandomInts ints = new SocketIds.RandomInts(bytes);
        assertThat(ints.below(1_000_000_000)).isEqualTo(2);
        assertThat(ints.below(7)).as("the next 31 bits: 0x10 >>> 1 = 8, 8 mod 7").isEqualTo(1);
    }

    @Test
    void smallBoundsAreUniform() {
        SocketIds.RandomInts ints = new SocketIds.RandomInts(new SecureRandom());
        int[] counts = new int[10];
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts[ints.below(10)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(draws / 10 - 1_000, draws / 10 + 1_000); // > 7 standard deviations
        }
    }

    private static final class CountingRandom extends SecureRandom {
        int calls;

        @Override
        public void nextBytes(byte[] bytes) {
            calls++;
            super.nextBytes(bytes);
        }
    }

    /** Hands out the given bytes, then zeros. */
    private static final class FixedRandom extends SecureRandom {
        private final int[] values;
        private int next;

        FixedRandom(int... values) {
            this.values = values;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = next < values.length ? (byte) values[next++] : 0;
            }
        }
    }
}
