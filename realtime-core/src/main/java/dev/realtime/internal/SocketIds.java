package dev.realtime.internal;

import java.security.SecureRandom;

/** Unguessable Pusher socket ids matching {@code ^\d+\.\d+$}. */
final class SocketIds {
    /**
     * One generator per thread: the default {@code NativePRNG} reads {@code /dev/urandom} under one
     * JVM-wide lock, which a connection storm's handshakes queue on. A DRBG instance keeps its own
     * state and is seeded from the system's entropy once.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SocketIds::newRandom);

    private SocketIds() {
    }

    static String next() {
        SecureRandom random = RANDOM.get();
        return (random.nextInt(1_000_000_000) + 1) + "." + (random.nextInt(1_000_000_000) + 1);
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
