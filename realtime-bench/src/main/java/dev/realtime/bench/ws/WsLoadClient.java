package dev.realtime.bench.ws;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many WebSocket subscribers on one selector thread, speaking Pusher protocol 7 or (for the Socket.IO
 * peer) Engine.IO v4. It counts event frames without decoding them; only every k-th connection reads
 * the publish timestamp of each event (for latency), so the generator stays far cheaper per frame
 * than the server it measures.
 */
public final class WsLoadClient implements AutoCloseable {
    /** The protocol spoken over the WebSocket. */
    public enum Dialect { PUSHER, SOCKET_IO }

    /** Publish timestamps ride in the event data as {@code "t":<nanoTime>} (same JVM as the publisher). */
    private static final byte[] T_MARK = "t\\\":".getBytes(StandardCharsets.US_ASCII);

    private final String host;
    private final int port;
    private final String path;
    private final Dialect dialect;
    private final String channel;
    private final int sampleEvery;
    private final Selector selector;
    private final Thread thread;
    private final List<Conn> conns = new ArrayList<>();
    private final List<Conn> pending = new ArrayList<>();
    public final LongAdder frames = new LongAdder();
    public final AtomicInteger subscribed = new AtomicInteger();
    public final AtomicInteger closed = new AtomicInteger();
    /** Why the last connection failed, for the report; null while none has. */
    public volatile String lastError;
    private final LatencyRecorder latency;
    private volatile boolean running = true;

    /** {@code sampleEvery}: every k-th connection reads timestamps, so samples span the whole fan-out order. */
    WsLoadClient(String host, int port, String appKey, String channel, int sampleEvery, LatencyRecorder latency) throws IOException {
        this(host, port, Dialect.PUSHER, appKey, channel, sampleEvery, latency);
    }

    /** {@code channel}: the one {@link #connect(int)} subscribes to; {@link #connect(int, String)} names another. */
    public WsLoadClient(String host, int port, Dialect dialect, String appKey, String channel, int sampleEvery,
                        LatencyRecorder latency) throws IOException {
        this.host = host;
        this.port = port;
        this.dialect = dialect;
        this.path = dialect == Dialect.PUSHER ? "/app/" + appKey + "?protocol=7&client=bench&version=1.0" : EngineIo.PATH;
        this.channel = channel;
        this.sampleEvery = Math.max(1, sampleEvery);
        this.latency = latency;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "ws-load-client");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Opens {@code n} more connections; each subscribes to the channel once established. */
    public void connect(int n) {
        connect(n, channel);
    }

    /** Opens {@code n} more connections subscribing to {@code to}. */
    public void connect(int n, String to) {
        synchronized (pending) {
            for (int i = 0; i < n; i++) {
                pending.add(new Conn((conns.size() + pending.size()) % sampleEvery == 0, to));
            }
        }
        selector.wakeup();
    }

    private void loop() {
        ByteBuffer scratch = ByteBuffer.allocateDirect(256 * 1024);
        while (running) {
            try {
                selector.select(100);
                synchronized (pending) {
                    for (Conn c : pending) {
                        try {
                            c.open();
                            conns.add(c);
                        } catch (IOException e) {
                            // e.g. no ephemeral port left: a failed client, not a dead load generator
                            lastError = e.toString();
                            closed.incrementAndGet();
                        }
                    }
                    pending.clear();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            c.finishConnect(key);
                        } else if (key.isReadable()) {
                            c.read(scratch);
                        }
                    } catch (IOException | RuntimeException e) {
                        lastError = e.toString();
                        c.fail(key);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
            for (SelectionKey k : selector.keys()) {
                // an abortive close (RST): a clean one leaves this side in TIME_WAIT for a minute, and a
                // few runs of 10 000 clients would use up the ephemeral ports of the next scenario
                try (SocketChannel ch = (SocketChannel) k.channel()) {
                    ch.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                } catch (IOException e) {
                    // already closed by the server
                }
            }
            selector.close();
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One connection: handshake, then frame parsing. */
    private final class Conn {
        private final boolean sample;
        private final String to;
        private SocketChannel ch;
        private boolean upgraded;
        private boolean isSubscribed;
        private ByteBuffer in = ByteBuffer.allocate(16 * 1024);

        Conn(boolean sample, String to) {
            this.sample = sample;
            this.to = to;
        }

        void open() throws IOException {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(new InetSocketAddress(host, port));
            ch.register(selector, SelectionKey.OP_CONNECT, this);
        }

        void finishConnect(SelectionKey key) throws IOException {
            ch.finishConnect();
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String req = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            writeFully(ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
            key.interestOps(SelectionKey.OP_READ);
        }

        void fail(SelectionKey key) {
            key.cancel();
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            closed.incrementAndGet();
        }

        void read(ByteBuffer scratch) throws IOException {
            scratch.clear();
            int n = ch.read(scratch);
            if (n < 0) {
                throw new IOException("closed by server");
            }
            scratch.flip();
            if (upgraded && in.position() == 0) {
                // nothing left over from the last read (the usual case): parse the frames where the
                // kernel put them and keep only a partial frame, instead of copying every byte
                ByteBuffer own = in;
                in = scratch;
                try {
                    parseFrames();
                } finally {
                    in = own;
                }
                if (scratch.hasRemaining()) {
                    if (in.capacity() < scratch.remaining()) {
                        in = ByteBuffer.allocate(scratch.remaining() * 2);
                    }
                    in.put(scratch);
                }
                return;
            }
            if (in.remaining() < scratch.remaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(in.capacity() * 2, in.position() + scratch.remaining()));
                in.flip();
                bigger.put(in);
                in = bigger;
            }
            in.put(scratch);
            in.flip();
            if (!upgraded && !readHandshake()) {
                in.compact();
                return;
            }
            parseFrames();
            in.compact();
        }

        private boolean readHandshake() throws IOException {
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    byte[] head = new byte[i - in.position()];
                    in.get(in.position(), head);
                    String status = new String(head, StandardCharsets.US_ASCII).lines().findFirst().orElse("");
                    if (!status.contains(" 101")) {
                        throw new IOException("upgrade refused: " + status);
                    }
                    in.position(i + 4);
                    upgraded = true;
                    return true;
                }
            }
            return false;
        }

        private void parseFrames() throws IOException {
            while (in.remaining() >= 2) {
                int start = in.position();
                int b0 = in.get(start) & 0xFF;
                int b1 = in.get(start + 1) & 0x7F;
                int header = 2;
                long len = b1;
                if (b1 == 126) {
                    if (in.remaining() < 4) return;
                    len = in.getShort(start + 2) & 0xFFFF;
                    header = 4;
                } else if (b1 == 127) {
                    if (in.remaining() < 10) return;
                    len = in.getLong(start + 2);
                    header = 10;
                }
                if (in.remaining() < header + len) {
                    return;
                }
                int payload = start + header;
                int opcode = b0 & 0x0F;
                if (opcode == 1) {
                    onText(payload, (int) len);
                } else if (opcode == 9) {
                    sendFrame(0xA, copy(payload, (int) len));
                } else if (opcode == 8) {
                    throw new IOException("server closed the connection");
                }
                in.position(payload + (int) len);
            }
        }

        private void onText(int offset, int len) throws IOException {
            if (dialect == Dialect.SOCKET_IO) {
                onEngineIo(offset, len);
                return;
            }
            // pings are short (34 bytes); an event carrying a timestamp is not, so events are never decoded
            if (!isSubscribed || len < 48) {
                String text = new String(copy(offset, len), StandardCharsets.UTF_8);
                if (text.contains("pusher:connection_established")) {
                    sendFrame(0x1, ("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + to + "\"}}")
                            .getBytes(StandardCharsets.UTF_8));
                } else if (text.contains("subscription_succeeded")) {
                    isSubscribed = true;
                    subscribed.incrementAndGet();
                } else if (text.contains("pusher:ping")) {
                    sendFrame(0x1, "{\"event\":\"pusher:pong\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));
                } else if (isSubscribed) {
                    onEvent(offset, len);
                }
                return;
            }
            onEvent(offset, len);
        }

        private void onEngineIo(int offset, int len) throws IOException {
            EngineIo.Packet packet = EngineIo.classify(in.get(offset), len > 1 ? in.get(offset + 1) : -1);
            switch (packet) {
                case EVENT -> {
                    if (isSubscribed) {
                        onEvent(offset, len);
                    } else if ("subscribed".equals(EngineIo.eventName(new String(copy(offset, len), StandardCharsets.UTF_8)))) {
                        isSubscribed = true;
                        subscribed.incrementAndGet();
                    }
                }
                case PING -> sendFrame(0x1, EngineIo.PONG.getBytes(StandardCharsets.US_ASCII));
                case OPEN -> sendFrame(0x1, EngineIo.CONNECT.getBytes(StandardCharsets.US_ASCII));
                case CONNECTED -> sendFrame(0x1, EngineIo.event("subscribe", to));
                case CONNECT_ERROR, CLOSE -> throw new IOException("refused by the server");
                default -> {
                    // noise (a NOOP or an upgrade probe): nothing to do
                }
            }
        }

        private void onEvent(int offset, int len) {
            frames.increment();
            if (sample) {
                long t = readTimestamp(offset, len);
                if (t > 0) {
                    latency.record(System.nanoTime() - t);
                }
            }
        }

        private long readTimestamp(int offset, int len) {
            outer:
            for (int i = offset; i + T_MARK.length < offset + len; i++) {
                for (int j = 0; j < T_MARK.length; j++) {
                    if (in.get(i + j) != T_MARK[j]) {
                        continue outer;
                    }
                }
                long v = 0;
                for (int k = i + T_MARK.length; k < offset + len; k++) {
                    byte b = in.get(k);
                    if (b < '0' || b > '9') break;
                    v = v * 10 + (b - '0');
                }
                return v;
            }
            return -1;
        }

        private byte[] copy(int offset, int len) {
            byte[] b = new byte[len];
            in.get(offset, b);
            return b;
        }

        /** A masked client frame (RFC 6455 requires masking from clients). */
        private void sendFrame(int opcode, byte[] payload) throws IOException {
            ByteBuffer out = ByteBuffer.allocate(payload.length + 14);
            out.put((byte) (0x80 | opcode));
            if (payload.length < 126) {
                out.put((byte) (0x80 | payload.length));
            } else {
                out.put((byte) (0x80 | 126)).putShort((short) payload.length);
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            out.put(mask);
            for (int i = 0; i < payload.length; i++) {
                out.put((byte) (payload[i] ^ mask[i & 3]));
            }
            out.flip();
            writeFully(out);
        }

        private void writeFully(ByteBuffer buf) throws IOException {
            int spins = 0;
            while (buf.hasRemaining()) {
                if (ch.write(buf) == 0 && ++spins > 10_000) {
                    throw new IOException("cannot write to server");
                }
            }
        }
    }
}
