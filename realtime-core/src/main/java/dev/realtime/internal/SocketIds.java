package dev.realtime.internal;

import java.security.SecureRandom;

/** Unguessable Pusher socket ids matching {@code ^\d+\.\d+$}. */
final class SocketIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SocketIds() {
    }

    static String next() {
        return (RANDOM.nextInt(1_000_000_000) + 1) + "." + (RANDOM.nextInt(1_000_000_000) + 1);
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
