package dev.realtime.broker.nats;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Topic to NATS subject, in this one place. NATS splits subjects into tokens at dots, gives
 * {@code *} and {@code >} a wildcard meaning and forbids white space, so a topic is escaped token by
 * token: the topic's dots stay token separators ({@code channel.presence-room.1} becomes
 * {@code realtime.channel.presence-room.1}, readable, and {@code realtime.channel.>} still watches
 * every channel), {@code A-Z a-z 0-9 -} stay as they are, every other character becomes {@code _}
 * and the two hex digits of each of its UTF-8 bytes ({@code _} itself is {@code _5F}), and an
 * empty token (as in {@code a..b}) becomes a lone {@code _}.
 * <p>
 * One-to-one: an encoded token holds no dot, and in it every {@code _} starts an escape of
 * exactly two hex digits, except the lone {@code _} of an empty token. A subject that would pass
 * {@link #MAX_LENGTH} characters becomes {@code prefix._h} + the SHA-256 of the topic in hex, a
 * token no escaping produces ({@code h} is not a hex digit).
 */
final class Subjects {
    /** Well under NATS's default 4 KB control line, which holds the subject. */
    static final int MAX_LENGTH = 1024;

    private Subjects() {
    }

    static String of(String prefix, String topic) {
        StringBuilder sb = new StringBuilder(prefix.length() + topic.length() + 16).append(prefix);
        for (String token : topic.split("\\.", -1)) {
            sb.append('.');
            if (token.isEmpty()) {
                sb.append('_');
            }
            for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
                    sb.append((char) c);
                } else {
                    sb.append('_').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
            if (sb.length() > MAX_LENGTH) {
                return prefix + "._h" + sha256(topic);
            }
        }
        return sb.toString();
    }

    private static String sha256(String topic) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(topic.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
