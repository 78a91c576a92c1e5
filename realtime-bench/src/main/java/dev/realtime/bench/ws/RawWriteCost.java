package dev.realtime.bench.ws;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The floor under any WebSocket server on this machine: the CPU cost of one plain NIO write of a
 * 100-byte message to a loopback socket (TCP_NODELAY), with a reader process draining 1 000
 * sockets. No framing, no locks, no library: just the system call and the kernel's loopback path.
 *
 * <pre>taskset -c 0 java -cp benchmarks.jar dev.realtime.bench.ws.RawWriteCost server &amp;
 * taskset -c 1 java -cp benchmarks.jar dev.realtime.bench.ws.RawWriteCost client</pre>
 */
public final class RawWriteCost {
    private static final int PORT = 7777;
    private static final int CONNECTIONS = 1000;
    private static final int ROUNDS = 200;

    private RawWriteCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("server")) {
            server();
        } else if (args.length == 1 && args[0].equals("client")) {
            client();
        } else {
            System.err.println("usage: RawWriteCost server|client");
        }
    }

    private static void server() throws Exception {
        try (ServerSocketChannel ss = ServerSocketChannel.open()) {
            ss.bind(new InetSocketAddress("127.0.0.1", PORT));
            List<SocketChannel> sockets = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                SocketChannel c = ss.accept();
                c.configureBlocking(false);
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                sockets.add(c);
            }
            ByteBuffer message = ByteBuffer.allocateDirect(100);
            while (message.hasRemaining()) {
                message.put((byte) 'x');
            }
            message.flip();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            for (int run = 0; run < 3; run++) {
                long cpu0 = mx.getCurrentThreadCpuTime();
                long writes = 0;
                for (int r = 0; r < ROUNDS; r++) {
                    for (SocketChannel c : sockets) {
                        c.write(message.duplicate());
                        writes++;
                    }
                    Thread.sleep(5); // let the reader drain: every write finds room
                }
                System.out.printf(Locale.ROOT, "run %d: %d writes, %.2f µs CPU per write%n", run, writes,
                        (mx.getCurrentThreadCpuTime() - cpu0) / 1000.0 / writes);
            }
            for (SocketChannel c : sockets) {
                c.close();
            }
        }
    }

    private static void client() throws Exception {
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", PORT));
                c.configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ);
            }
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
            while (!selector.keys().isEmpty()) {
                selector.select();
                for (SelectionKey k : selector.selectedKeys()) {
                    buf.clear();
                    if (((SocketChannel) k.channel()).read(buf) < 0) {
                        k.channel().close();
                    }
                }
                selector.selectedKeys().clear();
            }
        }
    }
}
