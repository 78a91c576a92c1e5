package dev.realtime.server;

import dev.realtime.Realtime;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the code a connection storm runs (HTTP upgrade, handshake, subscribe, fan-out writes, close)
 * on a throwaway node and server on a loopback port before the real server starts, so that the
 * JIT has compiled it when the first clients come: a cold JVM spends most of the first storm
 * compiling (10 000 clients at once took 5-7 s on one core cold, 2.4-3.5 s warm). The throwaway
 * node has no listener, webhook or broker: nothing outside this JVM sees the warm-up. Best effort:
 * a failure is logged and the server starts anyway.
 */
final class Warmup {
    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    private static final String KEY = "warmup-key";
    private static final String CHANNEL = "warmup";
    private static final int BATCH = 250;
    private static final int EVENTS = 10;
    private static final int TIMEOUT_MS = 5_000;

    private Warmup() {
    }

    /** Connects, subscribes and serves {@code connections} clients; returns the milliseconds it took (-1: failed). */
    static long run(int connections, int maxThreads) {
        if (connections <= 0) {
            return 0;
        }
        long start = System.nanoTime();
        Realtime realtime = Realtime.builder().app("warmup", KEY, "warmup-secret-" + ThreadLocalRandom.current().nextLong()).build();
        RealtimeServer server = null;
        List<Socket> open = new ArrayList<>();
        try {
            server = RealtimeServer.on(realtime).host("127.0.0.1").port(0).maxThreads(maxThreads).websocket().start();
            int port = server.port();
            for (int done = 0; done < connections; done += BATCH) {
                List<Client> batch = new ArrayList<>();
                for (int i = 0; i < Math.min(BATCH, connections - done); i++) {
                    Client c = new Client(port); // every upgrade request is sent before any answer is read
                    open.add(c.socket);
                    batch.add(c);
                }
                for (Client c : batch) {
                    c.awaitEstablished();
                    c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + CHANNEL + "\"}}");
                }
                for (Client c : batch) {
                    c.awaitText("subscription_succeeded");
                }
                for (int e = 0; e < EVENTS; e++) {
                    realtime.broadcast(CHANNEL, "tick", Map.of("n", e));
                }
                for (Client c : batch) {
                    for (int e = 0; e < EVENTS; e++) {
                        c.awaitText("tick");
                    }
                }
            }
            return (System.nanoTime() - start) / 1_000_000;
        } catch (IOException | RuntimeException e) {
            LOG.warn("warm-up stopped early ({}); starting anyway", e.toString());
            return -1;
        } finally {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a loopback socket
                }
            }
            realtime.close();
            if (server != null) {
                server.stop();
            }
        }
    }

    /** A minimal WebSocket client on a blocking socket (text frames, masked as RFC 6455 requires). */
    private static final class Client {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket();
            socket.setSoTimeout(TIMEOUT_MS);
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            out.write(("GET /app/" + KEY + "?protocol=7&client=warmup HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        void awaitEstablished() throws IOException {
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
            }
            awaitText("connection_established");
        }

        void send(String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[6 + payload.length];
            frame[0] = (byte) 0x81;
            frame[1] = (byte) (0x80 | payload.length); // the warm-up's frames are under 126 bytes
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            System.arraycopy(mask, 0, frame, 2, 4);
            for (int i = 0; i < payload.length; i++) {
                frame[6 + i] = (byte) (payload[i] ^ frame[2 + (i & 3)]);
            }
            out.write(frame);
        }

        /** Reads text frames until one contains {@code marker}. */
        void awaitText(String marker) throws IOException {
            while (true) {
                int b0 = in.readUnsignedByte();
                int len = in.readUnsignedByte() & 0x7F;
                long length = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
                byte[] payload = in.readNBytes((int) length);
                if ((b0 & 0x0F) == 0x8) {
                    throw new IOException("closed by the warm-up server");
                }
                if (new String(payload, StandardCharsets.UTF_8).contains(marker)) {
                    return;
                }
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed during the upgrade");
                }
                head.append((char) c);
            }
            return head.toString();
        }
    }
}
