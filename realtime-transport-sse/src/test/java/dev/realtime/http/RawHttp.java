package dev.realtime.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare HTTP/1.1 client over a socket, for the transports' tests: whole answers, and held streams
 * read line by line (chunked encoding undone) as the server writes them.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** A whole answer. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Sends one request and reads its whole answer. */
    public static Answer request(int port, String method, String target, Map<String, String> headers, String body)
            throws IOException {
        return request(null, port, method, target, headers, body);
    }

    /** Sends one request from local address {@code from} (e.g. 127.0.0.2: another peer), null for any. */
    public static Answer request(String from, int port, String method, String target, Map<String, String> headers,
                                 String body) throws IOException {
        try (Socket socket = socket(from, port)) {
            socket.setSoTimeout(30_000);
            send(socket, method, target, headers, body);
            InputStream in = socket.getInputStream();
            int status = status(readLine(in));
            Map<String, String> h = headers(in);
            return new Answer(status, h, new String(readBody(in, h, method), StandardCharsets.UTF_8));
        }
    }

    /** POST with a body and no extra headers. */
    public static Answer post(int port, String target, String body) throws IOException {
        return request(port, "POST", target, Map.of(), body);
    }

    static Socket socket(String from, int port) throws IOException {
        if (from == null) {
            return new Socket("127.0.0.1", port);
        }
        return new Socket(java.net.InetAddress.getByName("127.0.0.1"), port, java.net.InetAddress.getByName(from), 0);
    }

    static void send(Socket socket, String method, String target, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null || method.equals("POST")) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static int status(String line) throws IOException {
        if (line == null || !line.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP answer: " + line);
        }
        return Integer.parseInt(line.substring(9, 12));
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers, String method) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (;;) {
                String sizeLine = readLine(in);
                if (sizeLine == null) {
                    throw new IOException("the response ended before its last chunk; headers " + headers + ", body so far: "
                            + body.toString(StandardCharsets.UTF_8));
                }
                int size = Integer.parseInt(sizeLine.trim(), 16);
                if (size == 0) {
                    readLine(in);
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }
        String length = headers.get("content-length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length));
        }
        return method.equals("HEAD") ? new byte[0] : in.readAllBytes();
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Opens a held response and reads its text as it comes. */
    public static Stream open(int port, String method, String target, Map<String, String> headers) throws IOException {
        return new Stream(null, port, method, target, headers);
    }

    /** Opens a held response from local address {@code from}. */
    public static Stream open(String from, int port, String method, String target, Map<String, String> headers)
            throws IOException {
        return new Stream(from, port, method, target, headers);
    }

    /** A held response whose body is read on a thread of its own, line by line (as pusher-js splits it). */
    public static final class Stream implements AutoCloseable {
        private final Socket socket;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final int status;
        private final Map<String, String> headers;
        private volatile boolean ended;
        private volatile long chars;
        private volatile long consumed;

        Stream(String from, int port, String method, String target, Map<String, String> headers) throws IOException {
            socket = socket(from, port);
            socket.setSoTimeout(60_000);
            send(socket, method, target, headers, method.equals("POST") ? "" : null);
            InputStream in = socket.getInputStream();
            status = RawHttp.status(readLine(in));
            this.headers = RawHttp.headers(in);
            boolean chunked = "chunked".equalsIgnoreCase(this.headers.get("transfer-encoding"));
            Thread reader = new Thread(() -> read(in, chunked), "raw-http-stream");
            reader.setDaemon(true);
            reader.start();
        }

        public int status() {
            return status;
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The next line (without its newline), or null when none comes within {@code millis} or the stream ended. */
        public String nextLine(long millis) throws InterruptedException {
            String line = lines.poll(millis, TimeUnit.MILLISECONDS);
            if (line != null) {
                consumed += line.length() + 1;
            }
            return line;
        }

        /**
         * pusher-js's reopen rule ({@code http_request.ts}): every character received has been read as a
         * whole line, and there are more than {@code max} of them.
         */
        public boolean bufferTooLong(long max) {
            return consumed == chars && chars > max;
        }

        /** Lines until one starts with {@code prefix} (returned), failing with what came instead. */
        public String awaitLine(String prefix, long millis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            List<String> seen = new ArrayList<>();
            while (System.currentTimeMillis() < deadline) {
                String line = nextLine(Math.max(1, deadline - System.currentTimeMillis()));
                if (line == null) {
                    break;
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
                seen.add(line);
            }
            throw new AssertionError("no line starting with '" + prefix + "' within " + millis + " ms; got " + seen
                    + (ended ? " (the response ended)" : ""));
        }

        /** Characters read so far (what pusher-js's responseText.length would be). */
        public long chars() {
            return chars;
        }

        public boolean ended() {
            return ended;
        }

        private void read(InputStream in, boolean chunked) {
            try {
                InputStream body = chunked ? new Dechunk(in) : in;
                StringBuilder line = new StringBuilder();
                byte[] buf = new byte[8192];
                for (int n = body.read(buf); n != -1; n = body.read(buf)) {
                    String s = new String(buf, 0, n, StandardCharsets.UTF_8);
                    chars += s.length();
                    for (int i = 0; i < s.length(); i++) {
                        char c = s.charAt(i);
                        if (c == '\n') {
                            lines.add(line.toString());
                            line.setLength(0);
                        } else {
                            line.append(c);
                        }
                    }
                }
            } catch (IOException e) {
                // closed
            } finally {
                ended = true;
            }
        }

        /** Closes the socket: the client going away. */
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Undoes chunked transfer encoding. */
    private static final class Dechunk extends InputStream {
        private final InputStream in;
        private int left;
        private boolean done;

        Dechunk(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = readLine(in);
                if (size == null) {
                    done = true;
                    return -1;
                }
                if (size.isEmpty()) {
                    size = readLine(in);
                }
                left = Integer.parseInt(size.trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n == -1) {
                done = true;
                return -1;
            }
            left -= n;
            return n;
        }
    }
}
