package dev.realtime.websocket;

import dev.realtime.spi.TransportContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * The first read of a new connection: when it holds a whole, plain WebSocket upgrade to
 * {@code /app/{key}} (RFC 6455 §4.2.1, the request every Pusher client sends), the 101 is written and
 * the endpoint goes to a {@link WireConnection} without Jetty's HTTP parser, request, response and
 * handler chain; anything else — another path, a head split over reads, a percent-encoded key, a
 * version other than 13, a refused origin, compression on — goes on to the next protocol (HTTP/1.1)
 * with the bytes read, where {@link JettyUpgradeHandler} and the other handlers answer it exactly as
 * without this class. A connection storm costs the server's CPU mostly in the code each handshake
 * runs and in compiling it, so the common case takes the short path.
 */
final class UpgradeSniffer extends AbstractConnection implements Connection.UpgradeFrom {
    /**
     * What the first read may hold (less when the next protocol reads into smaller buffers, so that it
     * can take every byte read); a larger head goes on to HTTP/1.1.
     */
    static final int HEAD_BYTES = 4096;
    private static final byte[] SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
            .getBytes(StandardCharsets.ISO_8859_1);

    private final JettyWebSocketTransport transport;
    private final Connector connector;
    private final String next;
    private final int headBytes;
    private RetainableByteBuffer buffer;
    /** What was read into {@link #buffer}, up to what the next connection takes. */
    private ByteBuffer read;

    private UpgradeSniffer(JettyWebSocketTransport transport, Connector connector, EndPoint endPoint, String next) {
        super(endPoint, connector.getExecutor());
        this.transport = transport;
        this.connector = connector;
        this.next = next;
        ConnectionFactory http = next == null ? null : connector.getConnectionFactory(next);
        this.headBytes = http instanceof AbstractConnectionFactory f ? Math.min(HEAD_BYTES, f.getInputBufferSize()) : HEAD_BYTES;
    }

    /** The factory to put first on a plain connector, in front of its HTTP/1.1 factory. */
    static ConnectionFactory factory(JettyWebSocketTransport transport) {
        return new AbstractConnectionFactory(JettyWebSocketTransport.UPGRADE_PROTOCOL) {
            @Override
            public Connection newConnection(Connector connector, EndPoint endPoint) {
                String next = findNextProtocol(connector, getProtocol());
                return configure(new UpgradeSniffer(transport, connector, endPoint, next), connector, endPoint);
            }
        };
    }

    @Override
    public void onOpen() {
        super.onOpen();
        fillInterested();
    }

    /** No request has been read yet: a header timeout that watches connections runs from their opening. */
    @Override
    public long getMessagesIn() {
        return 0;
    }

    @Override
    public void onFillable() {
        EndPoint endPoint = getEndPoint();
        ByteBuffer bytes;
        try {
            buffer = connector.getByteBufferPool().acquire(headBytes, false);
            // headBytes of the pooled buffer (it may be larger), empty in Jetty's flush mode
            bytes = buffer.getByteBuffer().duplicate().clear().limit(headBytes).slice().limit(0);
            read = bytes;
            int filled = endPoint.fill(bytes);
            if (filled == 0) {
                release(); // nothing held while a connection is silent
                fillInterested();
                return;
            }
            if (filled < 0) {
                release();
                endPoint.close();
                return;
            }
        } catch (IOException | RuntimeException e) {
            release();
            endPoint.close(e);
            return;
        }
        Head head = transport.compression() ? null : Head.parse(bytes);
        TransportContext context = transport.context();
        if (head == null || context == null || !transport.origins().allows(head.origin)) {
            handOff();
            return;
        }
        bytes.position(bytes.position() + head.length); // what is left the client sent behind its request
        WireConnection wire = transport.newWireConnection(endPoint, connector, context, head.appKey, head.protocol,
                remoteAddress(endPoint));
        byte[] accept = WireFrames.acceptKey(head.key).getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer response = ByteBuffer.allocate(SWITCHING.length + accept.length + 4);
        response.put(SWITCHING).put(accept).put((byte) '\r').put((byte) '\n').put((byte) '\r').put((byte) '\n').flip();
        transport.shortUpgrades.increment();
        endPoint.write(Callback.from(() -> upgradeTo(wire), failure -> {
            release();
            endPoint.close(failure);
        }), response);
    }

    /** To HTTP/1.1 (the connector's next protocol) with every byte read. */
    private void handOff() {
        ConnectionFactory factory = next == null ? null : connector.getConnectionFactory(next);
        if (factory == null) {
            release();
            getEndPoint().close(new IllegalStateException("no protocol after " + JettyWebSocketTransport.UPGRADE_PROTOCOL + " on " + connector));
            return;
        }
        upgradeTo(factory.newConnection(connector, getEndPoint()));
    }

    private void upgradeTo(Connection connection) {
        try {
            getEndPoint().upgrade(connection); // takes onUpgradeFrom's bytes before it returns
        } finally {
            release();
        }
    }

    @Override
    public ByteBuffer onUpgradeFrom() {
        return buffer == null || !read.hasRemaining() ? null : read;
    }

    private void release() {
        RetainableByteBuffer b = buffer;
        buffer = null;
        read = null;
        if (b != null) {
            b.release();
        }
    }

    /** As Jetty's {@code Request.getRemoteAddr}: the address, IPv6 in brackets. */
    private static String remoteAddress(EndPoint endPoint) {
        SocketAddress address = endPoint.getRemoteSocketAddress();
        return address instanceof InetSocketAddress inet ? Request.getHostName(inet) : String.valueOf(address);
    }

    /**
     * A request head this class answers itself, or null for one it leaves to HTTP/1.1. It is strict on
     * purpose: a head is taken only when every byte is printable ASCII, the request line is
     * {@code GET /app/{key}[?query] HTTP/1.1} with the key and the query free of encodings, there is
     * one {@code Host}, one each of {@code Upgrade: websocket}, {@code Connection} naming
     * {@code upgrade}, {@code Sec-WebSocket-Version: 13} and a {@code Sec-WebSocket-Key}, at most one
     * {@code Origin}, and no body. Anything unusual, valid or not, is HTTP/1.1's to answer.
     */
    record Head(int length, String appKey, String protocol, String key, String origin) {
        private static final String PREFIX = "GET " + JettyWebSocketTransport.PATH_PREFIX;
        private static final String VERSION = " HTTP/1.1";

        /** The head at the start of {@code bytes} (position to limit), including its blank line. */
        static Head parse(ByteBuffer bytes) {
            int end = endOfHead(bytes);
            if (end < 0) {
                return null;
            }
            byte[] array = new byte[end - 4];
            bytes.duplicate().get(array);
            for (int i = 0; i < array.length; i++) {
                byte b = array[i];
                if (b < 0x20 && b != '\r' && b != '\n' && b != '\t' || b == 0x7f) {
                    return null; // a control byte, or (negative) one past ASCII
                }
                if (b == '\r' && (i + 1 == array.length || array[i + 1] != '\n') || b == '\n' && (i == 0 || array[i - 1] != '\r')) {
                    return null; // a line ended by a bare CR or LF: a field HTTP/1.1 might read where we would not
                }
            }
            return parse(new String(array, StandardCharsets.ISO_8859_1), end);
        }

        /** The length of the head up to and including its CRLF CRLF, or -1 when the bytes hold no whole head. */
        private static int endOfHead(ByteBuffer bytes) {
            int start = bytes.position();
            for (int i = start + 3; i < bytes.limit(); i++) {
                if (bytes.get(i) == '\n' && bytes.get(i - 1) == '\r' && bytes.get(i - 2) == '\n' && bytes.get(i - 3) == '\r') {
                    return i + 1 - start;
                }
            }
            return -1;
        }

        /** {@code head} without its final CRLF CRLF; {@code length} with it. */
        private static Head parse(String head, int length) {
            int eol = head.indexOf("\r\n");
            String line = eol < 0 ? head : head.substring(0, eol);
            if (!line.startsWith(PREFIX) || !line.endsWith(VERSION)) {
                return null;
            }
            String target = line.substring(4, line.length() - VERSION.length());
            int q = target.indexOf('?');
            String appKey = JettyUpgradeHandler.appKey(q < 0 ? target : target.substring(0, q));
            String query = q < 0 ? "" : target.substring(q + 1);
            if (appKey == null || !plain(appKey, "-._~") || !plain(query, "-._~=&")) {
                return null;
            }
            int hosts = 0;
            String upgrade = null;
            String connection = null;
            String version = null;
            String key = null;
            String origin = null;
            int at = eol;
            while (at >= 0) {
                int from = at + 2;
                at = head.indexOf("\r\n", from);
                String field = at < 0 ? head.substring(from) : head.substring(from, at);
                int colon = field.indexOf(':');
                if (colon <= 0 || !token(field, colon)) {
                    return null; // also a folded line (leading space)
                }
                String name = field.substring(0, colon);
                String value = field.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Host")) {
                    hosts++;
                } else if (name.equalsIgnoreCase("Upgrade") && upgrade == null) {
                    upgrade = value;
                } else if (name.equalsIgnoreCase("Connection") && connection == null) {
                    connection = value;
                } else if (name.equalsIgnoreCase("Sec-WebSocket-Version") && version == null) {
                    version = value;
                } else if (name.equalsIgnoreCase("Sec-WebSocket-Key") && key == null) {
                    key = value;
                } else if (name.equalsIgnoreCase("Origin") && origin == null) {
                    origin = value;
                } else if (ours(name) || name.equalsIgnoreCase("Transfer-Encoding")
                        || name.equalsIgnoreCase("Content-Length") && !value.equals("0")) {
                    return null; // one of ours twice, or a body
                }
            }
            if (hosts != 1 || !"websocket".equalsIgnoreCase(upgrade) || connection == null
                    || !new HttpField(HttpHeader.CONNECTION, connection).contains("upgrade") // as the handler's check
                    || !"13".equals(version) || key == null || key.isEmpty()) {
                return null;
            }
            return new Head(length, appKey, queryValue(query, "protocol"), key, origin);
        }

        private static boolean ours(String name) {
            return name.equalsIgnoreCase("Upgrade") || name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Origin")
                    || name.equalsIgnoreCase("Sec-WebSocket-Version") || name.equalsIgnoreCase("Sec-WebSocket-Key");
        }

        /** Letters, digits and {@code others} only: nothing Jetty would decode or normalise. */
        private static boolean plain(String s, String others) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || others.indexOf(c) >= 0)) {
                    return false;
                }
            }
            return true;
        }

        /** Whether the field name before {@code colon} is an RFC 9110 token. */
        private static boolean token(String field, int colon) {
            for (int i = 0; i < colon; i++) {
                char c = field.charAt(i);
                if (c <= ' ' || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                    return false;
                }
            }
            return true;
        }

        /** The first value of {@code name} in an undecoded query, "" for a name without one, null when absent. */
        private static String queryValue(String query, String name) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String n = eq < 0 ? pair : pair.substring(0, eq);
                if (n.equals(name)) {
                    return eq < 0 ? "" : pair.substring(eq + 1);
                }
            }
            return null;
        }
    }
}
