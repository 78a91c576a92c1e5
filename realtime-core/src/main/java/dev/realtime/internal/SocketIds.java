package dev.realtime.internal;

import java.security.SecureRandom;

/** Unguessable Pusher socket ids matching {@code ^\d+\.\d+$}. */
final class SocketIds {
    /**
     * One generator per thread: the default {@code NativePRNG} reads {@code /dev/urandom} under one
     * JVM-wide lock, which a connection storm's handshakes queue on. A DRBG instance keeps its own
     * state and is seeded from the system's entropy once. Its bytes are drawn 512 at a time: one
     * DRBG call serves 64 socket ids instead of two or more calls per id (a storm of handshakes
     * spent its time, and the JIT's, in {@code SecureRandom.next}), and the bytes are as unguessable.
     */
    private static final ThreadLocal<RandomInts> RANDOM = ThreadLocal.withInitial(RandomInts::new);

    private SocketIds() {
    }

    static String next() {
        RandomInts random = RANDOM.get();
        return (random.below(1_000_000_000) + 1) + "." + (random.below(1_000_000_000) + 1);
    }

    /** Uniform ints from a DRBG's bytes, fetched in blocks. One thread only. */
    static final class RandomInts {
        private final SecureRandom random;
        private final byte[] block = new byte[512];
        private int used = block.length;

        RandomInts() {
            this(newRandom());
        }

        RandomInts(SecureRandom random) {
            this.random = random;
        }

        /** Uniform in [0, bound), from 31 random bits, rejecting the last partial range of multiples of bound. */
        int below(int bound) {
            int r = next31();
            int m = bound - 1;
            for (int u = r; u - (r = u % bound) + m < 0; u = next31()) {
                // rejected: u fell in the last, partial range of multiples of bound
            }
            return r;
        }

        private int next31() {
            if (used + 4 > block.length) {
                random.nextBytes(block);
                used = 0;
            }
            int v = (block[used] & 0xff) << 24 | (block[used + 1] & 0xff) << 16 | (block[used + 2] & 0xff) << 8 | (block[used + 3] & 0xff);
            used += 4;
            return v >>> 1;
        }
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom(); // a platform without DRBG (every Java 9+ has it)
        }
    }

    static boolean valid(String socketId) {
        if (socketId == null || socketId.length() < 3 || socketId.length() > 40) {
            return false;
        }
        int dot = socketId.indexOf('.');
        if (dot <= 0 || dot == socketId.length() - 1) {
            return false;
        }
        for (int i = 0; i < socketId.length(); i++) {
            char c = socketId.charAt(i);
            if (i != dot && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
