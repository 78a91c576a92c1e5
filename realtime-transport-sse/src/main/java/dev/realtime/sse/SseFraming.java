package dev.realtime.sse;

import dev.realtime.http.Framing;
import dev.realtime.http.JsonText;
import java.util.List;

/**
 * A {@code text/event-stream}: each frame one event of {@code data:} lines (an EventSource's
 * {@code onmessage} gets the frame's JSON text), a comment {@code : keep-alive} as heartbeat, and at the
 * close an event named {@code close} with {@code {"code":…,"reason":…}}.
 */
final class SseFraming implements Framing {
    static final String HEARTBEAT = ": keep-alive\n\n";

    @Override
    public String contentType() {
        return "text/event-stream; charset=UTF-8";
    }

    @Override
    public String batch(List<String> frames) {
        int size = 0;
        for (int i = 0, n = frames.size(); i < n; i++) {
            size += frames.get(i).length() + 8;
        }
        StringBuilder out = new StringBuilder(size);
        for (int i = 0, n = frames.size(); i < n; i++) {
            appendData(out, frames.get(i));
            out.append('\n');
        }
        return out.toString();
    }

    /** One {@code data:} line per line of {@code text} (a frame is one line; a line break must not end the event). */
    static void appendData(StringBuilder out, String text) {
        int from = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                out.append("data: ").append(text, from, i).append('\n');
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                from = i + 1;
            }
        }
        out.append("data: ").append(text, from, text.length()).append('\n');
    }

    @Override
    public String heartbeat() {
        return HEARTBEAT;
    }

    @Override
    public String close(int code, String reason) {
        return "event: close\ndata: {\"code\":" + code + ",\"reason\":" + JsonText.asciiString(reason == null ? "" : reason) + "}\n\n";
    }
}
