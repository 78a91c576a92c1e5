package dev.realtime.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection written byte by byte, to play the clients a library client never is: the one
 * that sends headers and no body, trickles a body, or never finishes its headers.
 */
final class RawHttp implements AutoCloseable {
    /** A response: status, headers (names lower-cased) and body. */
    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawHttp connect(int port) throws IOException {
        return connect(null, port);
    }

    /** Connects to 127.0.0.1 from {@code source} (another loopback address, e.g. 127.0.0.2), or any when null. */
    static RawHttp connect(String source, int port) throws IOException {
        Socket socket = new Socket();
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setTcpNoDelay(true);
        return new RawHttp(socket);
    }

    /** Request headers ending with the blank line; {@code extra} are more header lines. */
    static String head(String method, String target, String... extra) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String line : extra) {
            sb.append(line).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    /** Writes {@code text} (ASCII); false when the server has closed the connection. */
    boolean send(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads one response (body by Content-Length, or up to the close), waiting at most {@code timeout}. */
    Reply read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        String head = readHead();
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : new byte[0];
        return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** The response head, up to and including its blank line. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection before answering; read: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1).strip();
    }

    /**
     * Whether the server closes the connection within {@code timeout}: reading meets the end of the
     * stream or a reset (whatever else arrives first is skipped).
     */
    boolean closedByServer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] skip = new byte[4096];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read(skip) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
