package dev.realtime.longpoll;

import dev.realtime.http.Framing;
import dev.realtime.http.JsonText;
import java.util.List;

/**
 * The answers of the plain JSON long-poll: {@code {"frames":[…]}} with each frame as a JSON object,
 * {@code {"frames":[]}} when nothing came in time, and {@code {"frames":[],"close":{"code":…,"reason":…}}}
 * at the close.
 */
final class JsonFraming implements Framing {
    static final String EMPTY = "{\"frames\":[]}\n";

    @Override
    public String contentType() {
        return "application/json; charset=UTF-8";
    }

    @Override
    public String batch(List<String> frames) {
        int size = 16;
        for (int i = 0, n = frames.size(); i < n; i++) {
            size += frames.get(i).length() + 1;
        }
        StringBuilder out = new StringBuilder(size).append("{\"frames\":[");
        for (int i = 0, n = frames.size(); i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(frames.get(i)); // each frame is JSON text already
        }
        return out.append("]}\n").toString();
    }

    @Override
    public String heartbeat() {
        return EMPTY;
    }

    @Override
    public String close(int code, String reason) {
        return "{\"frames\":[],\"close\":{\"code\":" + code + ",\"reason\":" + JsonText.asciiString(reason == null ? "" : reason) + "}}\n";
    }
}
