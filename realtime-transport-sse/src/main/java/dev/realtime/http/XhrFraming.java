package dev.realtime.http;

import java.util.List;

/**
 * The chunks pusher-js's {@code xhr_streaming} and {@code xhr_polling} read (its {@code http_socket.ts}):
 * one per line, typed by the first character. Everything is written as ASCII: a frame's non-ASCII
 * characters are escaped ({@code \}{@code uXXXX}) inside the {@code a[...]} array, so that what the client
 * counts (UTF-16 units of {@code responseText}) equals what the server counts (characters written),
 * which the 256 KB stream limit depends on, and so that a chunk split inside a character cannot garble it.
 */
final class XhrFraming implements Framing {
    static final String OPEN = XHR_OPEN;
    static final String HEARTBEAT = "h\n";

    @Override
    public String contentType() {
        return "application/javascript; charset=UTF-8";
    }

    @Override
    public String batch(List<String> frames) {
        int size = 4;
        for (int i = 0, n = frames.size(); i < n; i++) {
            size += frames.get(i).length() + 16;
        }
        StringBuilder out = new StringBuilder(size);
        out.append("a[");
        for (int i = 0, n = frames.size(); i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            JsonText.appendAsciiString(out, frames.get(i));
        }
        return out.append("]\n").toString();
    }

    @Override
    public String heartbeat() {
        return HEARTBEAT;
    }

    @Override
    public String close(int code, String reason) {
        StringBuilder out = new StringBuilder(32 + (reason == null ? 0 : reason.length()));
        out.append("c[").append(code).append(',');
        JsonText.appendAsciiString(out, reason == null ? "" : reason);
        return out.append("]\n").toString();
    }
}
