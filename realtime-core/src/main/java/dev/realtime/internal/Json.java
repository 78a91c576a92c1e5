package dev.realtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.RealtimeException;
import dev.realtime.ErrorCodes;

/** The one ObjectMapper of the core and small JSON helpers. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        char[] escaped = JsonStringEncoder.getInstance().quoteAsString(s);
        StringBuilder sb = new StringBuilder(escaped.length + 2);
        return sb.append('"').append(escaped).append('"').toString();
    }

    /** Appends {@code s} as a JSON string literal. */
    public static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        return sb.append('"');
    }

    /** Serialises {@code value} with Jackson; fails with a clear message when it cannot. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new RealtimeException(ErrorCodes.INVALID_MESSAGE,
                    "cannot serialise " + value.getClass().getName() + " to JSON: " + e.getOriginalMessage());
        }
    }

    /** Parses JSON text, or returns null when it is not valid JSON. */
    public static JsonNode readOrNull(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Number of bytes of {@code s} in UTF-8, without encoding it. */
    public static int utf8Length(CharSequence s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c)) {
                    bytes += 2;
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** Whether {@code s} is longer than {@code maxBytes} in UTF-8 (cheap for short ASCII strings). */
    public static boolean exceeds(String s, int maxBytes) {
        if (s.length() > maxBytes) {
            return true;
        }
        return (long) s.length() * 3 > maxBytes && utf8Length(s) > maxBytes;
    }
}
