package dev.realtime.broker.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Topic to routing key, in this one place. The exchange is a direct exchange, so a routing key is
 * compared as a whole string: the dots, {@code *} and {@code #} of channel names mean nothing to
 * it and a topic is its own key. AMQP caps a key at 255 bytes; a longer topic (a long user id)
 * becomes {@code sha256:} + 64 hex digits of its UTF-8 bytes. A topic that itself starts with
 * {@code sha256:} is hashed too, so a literal key and a hashed one never meet: the mapping is
 * one-to-one (short of a SHA-256 collision).
 */
final class RoutingKeys {
    static final int MAX_BYTES = 255;
    private static final String HASHED = "sha256:";

    private RoutingKeys() {
    }

    static String of(String topic) {
        byte[] utf8 = topic.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_BYTES && !topic.startsWith(HASHED)) {
            return topic;
        }
        try {
            return HASHED + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
