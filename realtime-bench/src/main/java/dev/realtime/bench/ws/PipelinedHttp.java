package dev.realtime.bench.ws;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One kept-alive HTTP/1.1 connection with pipelined requests: the publishing thread writes each request
 * as it comes, a reader thread counts the responses. Far cheaper per request than java.net.http's
 * HttpClient, whose hand-offs between threads cost the load generator most of a core at 1 000 requests/s.
 */
final class PipelinedHttp implements AutoCloseable {
    private final InetSocketAddress address;
    private final int maxInFlight;
    private final LongAdder ok;
    private final LongAdder failed;
    private final AtomicInteger inFlight = new AtomicInteger();
    private SocketChannel channel;
    private volatile boolean closing;
    /** The server closes the connection after each response: pipelining would lose requests. */
    volatile boolean serverCloses;

    PipelinedHttp(String host, int port, int maxInFlight, LongAdder ok, LongAdder failed) {
        this.address = new InetSocketAddress(host, port);
        this.maxInFlight = maxInFlight;
        this.ok = ok;
        this.failed = failed;
    }

    /** Writes one request; false (nothing sent) when {@code maxInFlight} responses are still due. */
    synchronized boolean send(byte[] request) {
        if (inFlight.get() >= maxInFlight) {
            return false;
        }
        try {
            if (channel == null) {
                open();
            }
            inFlight.incrementAndGet();
            ByteBuffer b = ByteBuffer.wrap(request);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            return true;
        } catch (IOException e) {
            drop();
            return true; // counted as failed by drop()
        }
    }

    private void open() throws IOException {
        SocketChannel ch = SocketChannel.open(address);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel = ch;
        Thread reader = new Thread(() -> read(ch), "http-publisher-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(SocketChannel ch) {
        HttpResponses responses = new HttpResponses();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (!closing) {
                buf.clear();
                if (ch.read(buf) < 0) {
                    break;
                }
                responses.feed(buf.array(), 0, buf.position(), status -> {
                    inFlight.decrementAndGet();
                    (status == 200 ? ok : failed).increment();
                });
                if (responses.sawClose) {
                    serverCloses = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // connection gone or a response we cannot read: the requests still due failed
        }
        synchronized (this) {
            if (channel == ch) {
                drop();
            }
        }
    }

    /** Forgets the connection; the next request opens another. Requests still due count as failed. */
    private void drop() {
        failed.add(inFlight.getAndSet(0));
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        channel = null;
    }

    @Override
    public synchronized void close() {
        closing = true;
        drop();
    }
}
