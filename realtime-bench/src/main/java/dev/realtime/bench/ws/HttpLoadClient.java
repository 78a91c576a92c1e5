package dev.realtime.bench.ws;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many pusher-js HTTP sockets ({@code xhr_streaming} or {@code xhr_polling}) on one selector thread,
 * doing what {@code http_socket.ts} does: a session path each, the stream reopened once more than
 * 256 KB were read, polls one after another on a kept-alive connection, {@code []} sent on each
 * {@code h} of a stream, a pong for each {@code pusher:ping}. It counts the {@code tick} frames
 * without decoding them; every k-th session reads the publish timestamps (latency). Frames up go
 * through a small pool of blocking {@code xhr_send} requests (setup, pongs, heartbeat answers).
 */
final class HttpLoadClient implements AutoCloseable {
    private static final long MAX_STREAM = 256 * 1024;
    private static final byte[] TICK = "{\\\"event\\\":\\\"tick\\\"".getBytes(StandardCharsets.US_ASCII);

    private final String host;
    private final int port;
    private final String base;
    private final boolean streaming;
    private final String channel;
    private final int sampleEvery;
    private final LatencyRecorder latency;
    private final Selector selector;
    private final Thread thread;
    private final List<Conn> pending = new ArrayList<>();
    private final HttpClient sender = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService sends = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "xhr-send");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger sessions = new AtomicInteger();
    final LongAdder frames = new LongAdder();
    final AtomicInteger subscribed = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final LongAdder requests = new LongAdder();
    private volatile boolean running = true;

    HttpLoadClient(String host, int port, String appKey, String mode, String channel, int sampleEvery, LatencyRecorder latency)
            throws IOException {
        this.host = host;
        this.port = port;
        this.base = "/pusher/app/" + appKey + "/";
        this.streaming = mode.equals("xhr_streaming");
        if (!streaming && !mode.equals("xhr_polling")) {
            throw new IllegalArgumentException("mode must be xhr_streaming or xhr_polling, got " + mode);
        }
        this.channel = channel;
        this.sampleEvery = Math.max(1, sampleEvery);
        this.latency = latency;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "http-load-client");
        thread.setDaemon(true);
        thread.start();
    }

    void connect(int n) {
        synchronized (pending) {
            for (int i = 0; i < n; i++) {
                int id = sessions.getAndIncrement();
                pending.add(new Conn(id % 1000 + "/" + Long.toString(id + 32L * 32 * 32 * 32 * 32 * 32 * 32, 32), id % sampleEvery == 0));
            }
        }
        selector.wakeup();
    }

    private void loop() {
        ByteBuffer scratch = ByteBuffer.allocateDirect(256 * 1024);
        while (running) {
            try {
                selector.select(100);
                List<Conn> toOpen;
                synchronized (pending) {
                    toOpen = new ArrayList<>(pending);
                    pending.clear();
                }
                for (Conn c : toOpen) {
                    c.request();
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
                        c.fail(key, e);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Sends frames up for a session ({@code JSON.stringify([frame])}), off the selector thread. */
    private void send(String session, String body) {
        sends.execute(() -> {
            try {
                sender.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + base + session + "/xhr_send"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // counted by the server's side as a missing frame; the benchmark reports closed sessions
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static String frameList(String frame) {
        return "[\"" + frame.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
            selector.close();
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sends.shutdownNow();
    }

    /** One session: its current HTTP connection, the response being parsed, the lines of its body. */
    private final class Conn {
        private final String session;
        private final boolean sample;
        private SocketChannel ch;
        private SelectionKey key;
        private boolean isSubscribed;
        // The response being read.
        private boolean headersDone;
        private boolean chunked;
        private long bodyLeft;      // content-length left, or the current chunk's bytes left
        private int chunkState;     // 0 size line, 1 data, 2 CRLF after data
        private final StringBuilder head = new StringBuilder();
        private byte[] line = new byte[4096];
        private int lineLength;
        private long streamChars;   // characters of this stream's body so far

        Conn(String session, boolean sample) {
            this.session = session;
            this.sample = sample;
        }

        /** Opens a connection (a new one each stream; polls reuse theirs) and sends the receiving request. */
        void request() throws IOException {
            if (ch == null || !ch.isOpen()) {
                ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(new InetSocketAddress(host, port));
                key = ch.register(selector, SelectionKey.OP_CONNECT, this);
                return;
            }
            sendRequest();
        }

        void finishConnect(SelectionKey key) throws IOException {
            ch.finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            sendRequest();
        }

        private void sendRequest() throws IOException {
            requests.increment();
            headersDone = false;
            chunked = false;
            chunkState = 0;
            bodyLeft = 0;
            head.setLength(0);
            lineLength = 0;
            streamChars = 0;
            String req = "POST " + base + session + (streaming ? "/xhr_streaming" : "/xhr") + "?protocol=7&client=bench&version=1.0 HTTP/1.1\r\n"
                    + "Host: " + host + ":" + port + "\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII));
            int spins = 0;
            while (out.hasRemaining()) {
                if (ch.write(out) == 0 && ++spins > 10_000) {
                    throw new IOException("cannot write to server");
                }
            }
        }

        void fail(SelectionKey key, Exception e) {
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
            while (scratch.hasRemaining()) {
                if (!headersDone) {
                    char c = (char) scratch.get();
                    head.append(c);
                    if (c == '\n' && head.length() >= 4 && head.charAt(head.length() - 3) == '\n') {
                        headers();
                    }
                    continue;
                }
                if (!chunked) {
                    int take = (int) Math.min(bodyLeft, scratch.remaining());
                    body(scratch, take);
                    bodyLeft -= take;
                    if (bodyLeft == 0) {
                        responseDone();
                    }
                    continue;
                }
                switch (chunkState) {
                    case 0 -> {
                        char c = (char) scratch.get();
                        if (c == '\n') {
                            String size = head.toString().trim();
                            head.setLength(0);
                            if (size.isEmpty()) {
                                continue;
                            }
                            bodyLeft = Long.parseLong(size, 16);
                            chunkState = bodyLeft == 0 ? 3 : 1;
                            if (bodyLeft == 0) {
                                responseDone();
                            }
                        } else {
                            head.append(c);
                        }
                    }
                    case 1 -> {
                        int take = (int) Math.min(bodyLeft, scratch.remaining());
                        body(scratch, take);
                        bodyLeft -= take;
                        if (bodyLeft == 0) {
                            chunkState = 0;
                        }
                    }
                    default -> scratch.get(); // trailer CRLF of the last chunk
                }
            }
            if (streaming && streamChars > MAX_STREAM && lineLength == 0 && isOpen()) {
                reopen(); // pusher-js's 'buffer_too_long': every byte read as whole lines, past 256 KB
            }
        }

        private boolean isOpen() {
            return ch.isOpen();
        }

        private void headers() throws IOException {
            String h = head.toString();
            head.setLength(0);
            headersDone = true;
            if (!h.startsWith("HTTP/1.1 200")) {
                throw new IOException("refused: " + h.lines().findFirst().orElse(h));
            }
            String lower = h.toLowerCase(java.util.Locale.ROOT);
            chunked = lower.contains("transfer-encoding: chunked");
            if (!chunked) {
                int i = lower.indexOf("content-length:");
                bodyLeft = i < 0 ? 0 : Long.parseLong(lower.substring(i + 15, lower.indexOf('\r', i)).trim());
                if (bodyLeft == 0) {
                    responseDone();
                }
            }
        }

        private void body(ByteBuffer in, int n) {
            streamChars += n;
            for (int i = 0; i < n; i++) {
                byte b = in.get();
                if (b == '\n') {
                    line(lineLength);
                    lineLength = 0;
                } else {
                    if (lineLength == line.length) {
                        line = java.util.Arrays.copyOf(line, line.length * 2);
                    }
                    line[lineLength++] = b;
                }
            }
        }

        /** One chunk of pusher-js's protocol: o, a[...], h, c[...]. */
        private void line(int length) {
            if (length == 0) {
                return;
            }
            byte type = line[0];
            if (type == 'h') {
                if (streaming) {
                    send(session, "[]"); // pusher-js answers each heartbeat of a stream so
                }
                return;
            }
            if (type == 'c') {
                closed.incrementAndGet();
                return;
            }
            if (type != 'a') {
                return;
            }
            if (!isSubscribed) {
                String text = new String(line, 0, length, StandardCharsets.US_ASCII);
                if (text.contains("pusher:connection_established")) {
                    send(session, frameList("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":\"\"}}"));
                }
                if (text.contains("subscription_succeeded")) {
                    isSubscribed = true;
                    subscribed.incrementAndGet();
                }
                if (text.contains("pusher:ping")) {
                    send(session, frameList("{\"event\":\"pusher:pong\",\"data\":{}}"));
                }
                return;
            }
            int ticks = 0;
            for (int i = 0; i + TICK.length <= length; i++) {
                if (line[i] == '{' && matches(i, TICK)) {
                    ticks++;
                    if (sample) {
                        long t = timestamp(i + TICK.length, length);
                        if (t > 0) {
                            latency.record(System.nanoTime() - t);
                        }
                    }
                    i += TICK.length - 1;
                }
            }
            frames.add(ticks);
            if (ticks == 0 && new String(line, 0, length, StandardCharsets.US_ASCII).contains("pusher:ping")) {
                send(session, frameList("{\"event\":\"pusher:pong\",\"data\":{}}"));
            }
        }

        private boolean matches(int at, byte[] what) {
            for (int j = 0; j < what.length; j++) {
                if (line[at + j] != what[j]) {
                    return false;
                }
            }
            return true;
        }

        /** The publish time in the frame starting before {@code from}: {@code t} then backslashes and quotes, a colon, digits. */
        private long timestamp(int from, int length) {
            for (int i = from; i + 3 < length; i++) {
                if (line[i] == '{' && matches(i, TICK)) {
                    return -1; // the next frame: none in this one
                }
                if (line[i] != 't' || (line[i + 1] != '\\' && line[i + 1] != '"')) {
                    continue;
                }
                int k = i + 1;
                while (k < length && (line[k] == '\\' || line[k] == '"')) {
                    k++;
                }
                if (k + 1 >= length || line[k] != ':' || line[k + 1] < '0' || line[k + 1] > '9') {
                    continue;
                }
                long v = 0;
                for (k = k + 1; k < length && line[k] >= '0' && line[k] <= '9'; k++) {
                    v = v * 10 + (line[k] - '0');
                }
                return v;
            }
            return -1;
        }

        private void responseDone() throws IOException {
            headersDone = false;
            head.setLength(0);
            if (streaming) {
                throw new IOException("the stream ended");
            }
            sendRequest(); // the next poll, at once, as pusher-js does on a 200
        }

        private void reopen() throws IOException {
            key.cancel();
            ch.close();
            ch = null;
            request();
        }
    }
}
