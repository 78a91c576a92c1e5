package dev.realtime.websocket;

import java.nio.charset.StandardCharsets;

/** Close-frame and size helpers shared by both adapters. */
final class CloseReasons {
    /** A close frame's payload is at most 125 bytes, two of which carry the code. */
    static final int MAX_REASON_BYTES = 123;

    private CloseReasons() {
    }

    /** {@code reason} cut to fit a close frame (whole UTF-8 characters only); "" for null. */
    static String fit(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.length() * 3 <= MAX_REASON_BYTES || reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < reason.length(); ) {
            int cp = reason.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > MAX_REASON_BYTES) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** Whether {@code text} takes more than {@code maxBytes} bytes in UTF-8 (counted without encoding it). */
    static boolean utf8Exceeds(CharSequence text, long maxBytes) {
        if (text.length() > maxBytes) {
            return true;
        }
        if ((long) text.length() * 3 <= maxBytes) {
            return false;
        }
        long bytes = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a surrogate pair is 4 bytes
            if (bytes > maxBytes) {
                return true;
            }
        }
        return false;
    }
}
