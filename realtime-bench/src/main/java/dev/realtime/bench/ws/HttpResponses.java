package dev.realtime.bench.ws;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Splits a stream of pipelined HTTP/1.1 responses (bytes as they arrive, in any pieces) and reports each
 * one's status code. Bodies are skipped by Content-Length or chunked encoding; nothing else is read.
 */
final class HttpResponses {
    private byte[] buf = new byte[16 * 1024];
    private int len;
    /** Whether a response said {@code Connection: close} (Soketi's HTTP API says it on every one). */
    boolean sawClose;

    /** Takes the next bytes; calls {@code onStatus} once per complete response. */
    void feed(byte[] data, int off, int n, IntConsumer onStatus) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
        System.arraycopy(data, off, buf, len, n);
        len += n;
        int pos = 0;
        while (true) {
            int end = complete(pos);
            if (end < 0) {
                break;
            }
            onStatus.accept(status(pos));
            pos = end;
        }
        System.arraycopy(buf, pos, buf, 0, len - pos);
        len -= pos;
    }

    private int status(int start) {
        // "HTTP/1.1 200 OK": the three digits after the first space
        int sp = indexOf((byte) ' ', start, len);
        return Integer.parseInt(new String(buf, sp + 1, 3, StandardCharsets.US_ASCII));
    }

    /** The offset after the response starting at {@code start}, or -1 while it is incomplete. */
    private int complete(int start) {
        int headEnd = indexOf("\r\n\r\n", start);
        if (headEnd < 0) {
            return -1;
        }
        String head = new String(buf, start, headEnd - start, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        if (head.contains("\r\nconnection: close")) {
            sawClose = true;
        }
        int bodyStart = headEnd + 4;
        int cl = head.indexOf("\r\ncontent-length:");
        if (cl >= 0) {
            int eol = head.indexOf("\r\n", cl + 2);
            long length = Long.parseLong(head.substring(cl + 17, eol < 0 ? head.length() : eol).trim());
            return bodyStart + length <= len ? (int) (bodyStart + length) : -1;
        }
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            int p = bodyStart;
            while (true) {
                int eol = indexOf("\r\n", p);
                if (eol < 0) {
                    return -1;
                }
                String size = new String(buf, p, eol - p, StandardCharsets.US_ASCII);
                int semi = size.indexOf(';');
                int chunk = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (chunk == 0) {
                    int trailerEnd = indexOf("\r\n", eol + 2) == eol + 2 ? eol + 4 : indexOf("\r\n\r\n", eol) + 4;
                    return trailerEnd >= 4 && trailerEnd <= len ? trailerEnd : -1;
                }
                p = eol + 2 + chunk + 2;
                if (p > len) {
                    return -1;
                }
            }
        }
        return bodyStart; // no body (204, 304, or a server that sends none)
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(String s, int from) {
        byte[] needle = s.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = from; i + needle.length <= len; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
