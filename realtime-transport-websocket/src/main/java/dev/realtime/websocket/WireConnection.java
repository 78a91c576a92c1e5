package dev.realtime.websocket;

import dev.realtime.spi.OutboundQueue;
import dev.realtime.spi.OutboundSink;
import dev.realtime.spi.Session;
import dev.realtime.spi.TransportConnection;
import dev.realtime.spi.TransportContext;
import dev.realtime.spi.WriteCompletion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection as RFC 6455 framing straight on Jetty's {@link EndPoint}, the
 * transport's default when permessage-deflate is off. Jetty's WebSocket session keeps a frame
 * flusher, an extension stack and the upgrade request per connection and allocates bookkeeping per
 * frame written; here a fan-out's frame is encoded once ({@link WireFrames#text}) and each delivery
 * is one socket write of a shared read-only view. An idle connection holds no buffer: the
 * read buffer goes back to the pool whenever it is drained.
 *
 * <p>Threading: Jetty calls {@link #onFillable} for one connection at a time, so the parser state
 * is confined to it. Writes come from the outbound queue (one data write at a time) and from the
 * reading side (pongs, close replies); {@link #send} serialises them, as Jetty's endpoint takes one
 * write at a time.
 */
final class WireConnection extends AbstractConnection implements Connection.UpgradeTo, TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(WireConnection.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final int READ_BUFFER_BYTES = 4096;
    /** Closes for codes that mean "no status" (RFC 6455 §7.1.5). */
    private static final int NO_STATUS = 1005;
    private static final int ABNORMAL = 1006;

    private final WebSocketTransportBase transport;
    private final TransportContext context;
    private final Set<TransportConnection> registry;
    private final ByteBufferPool pool;
    private final String appKey;
    private final String protocol;
    private final String remoteAddress;
    private final long maxMessageBytes;
    private final long idleTimeoutMillis;
    private final long closeTimeoutMillis;
    private final String id = "ws-" + IDS.incrementAndGet();
    private volatile OutboundQueue queue;
    private volatile Session session;

    // ---- reading side: only on the thread in onFillable ----
    private RetainableByteBuffer input;
    private final byte[] header = new byte[14];
    private int headerHave;
    private int headerNeed = 2;
    private int opcode;
    private boolean fin;
    private final byte[] mask = new byte[4];
    private byte[] payload;
    private int payloadHave;
    /** A text message split over several frames, being put back together (bytes so far in {@link #partialBytes}). */
    private Utf8StringBuilder partial;
    private long partialBytes;
    /** After a close frame or a protocol error: further input is read and dropped. */
    private boolean inputDone;

    // ---- writing side: guarded by this ----
    private boolean writing;
    private ArrayDeque<Object[]> waiting;
    private boolean closeQueued;
    private final DataWrite dataWrite = new DataWrite();
    /** The plain socket's endpoint, whose channel {@link #flush} writes directly; null behind TLS or a subclass. */
    private final SocketChannelEndPoint plain;
    private final Flushed flushed = new Flushed();
    /** The callback of the flush in progress (set before each flush, read by its completion). */
    private volatile Callback flushing;

    // ---- how it ended: the first close frame sent or received wins ----
    private volatile int closeCode;
    private volatile String closeReason;
    private volatile boolean closeReceived;
    private volatile boolean notified;
    private volatile boolean reported;

    WireConnection(EndPoint endPoint, java.util.concurrent.Executor executor, ByteBufferPool pool,
                   WebSocketTransportBase transport, TransportContext context, Set<TransportConnection> registry,
                   String appKey, String protocol, String remoteAddress) {
        super(endPoint, executor);
        this.pool = pool;
        this.transport = transport;
        this.context = context;
        this.registry = registry;
        this.appKey = appKey;
        this.protocol = protocol;
        this.remoteAddress = remoteAddress;
        this.maxMessageBytes = transport.maxMessageBytes();
        this.idleTimeoutMillis = transport.idleTimeout().toMillis();
        this.closeTimeoutMillis = transport.closeTimeout().toMillis();
        // exactly Jetty's plain endpoint: a subclass (NetworkTrafficSocketChannelEndPoint) watches its flushes
        this.plain = endPoint.getClass() == SocketChannelEndPoint.class ? (SocketChannelEndPoint) endPoint : null;
    }

    // ---- lifecycle ----

    @Override
    public void onUpgradeTo(ByteBuffer prefilled) {
        // Bytes the client sent right behind its upgrade request (frames it did not wait to send).
        if (BufferUtil.hasContent(prefilled)) {
            input = pool.acquire(Math.max(READ_BUFFER_BYTES, prefilled.remaining()), false);
            BufferUtil.append(input.getByteBuffer(), prefilled);
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(idleTimeoutMillis);
        this.queue = transport.newQueue(context, new Sink(), this::report);
        registry.add(this);
        // The node sends connection_established (or an error and a close) through this connection.
        this.session = context.open(this, appKey, protocol);
        if (input != null && input.getByteBuffer().hasRemaining()) {
            getExecutor().execute(this::onFillable);
        } else {
            fillInterested();
        }
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        // The read buffer is not released here: a close can come on the reading thread in the middle of
        // a parse (a client's close frame answered inline), and only onFillable may hand it back.
        if (cause != null && !closing() && WebSocketTransportBase.isWireFailure(cause)) {
            report(cause);
        }
        notifyClosed(cause instanceof TimeoutException ? 1001 : ABNORMAL, cause instanceof TimeoutException ? "idle timeout" : null);
    }

    /** Tells the node and the queue once that the connection is gone, with the close code it ended with. */
    private void notifyClosed(int fallbackCode, String fallbackReason) {
        synchronized (this) {
            if (notified) {
                return;
            }
            notified = true;
        }
        registry.remove(this);
        OutboundQueue q = queue;
        if (q != null) {
            q.terminated();
        }
        Session s = session;
        if (s != null) {
            int code = closeCode;
            s.closed(code == 0 ? fallbackCode : code, code == 0 ? fallbackReason : closeReason);
        }
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        // The idle timeout or a broken read: end the connection (onClose reports it).
        getEndPoint().close(cause);
    }

    // ---- reading ----

    @Override
    public void onFillable() {
        EndPoint endPoint = getEndPoint();
        try {
            while (true) {
                if (input == null) {
                    input = pool.acquire(READ_BUFFER_BYTES, false);
                }
                ByteBuffer buffer = input.getByteBuffer();
                // The parser copies what it needs (a header, a payload), so the buffer is always drained;
                // bytes left in it came with the upgrade request.
                int filled = buffer.hasRemaining() ? buffer.remaining() : endPoint.fill(buffer);
                if (filled > 0) {
                    parse(buffer);
                    BufferUtil.clear(buffer);
                    continue;
                }
                releaseInput(); // an idle connection keeps no buffer
                if (filled == 0) {
                    fillInterested();
                } else {
                    endPoint.close(); // the client's FIN: after its close frame, or abnormal (1006)
                }
                return;
            }
        } catch (Throwable x) {
            releaseInput();
            endPoint.close(x);
        }
    }

    private void releaseInput() {
        RetainableByteBuffer b = input;
        if (b != null) {
            input = null;
            b.release();
        }
    }

    /** Consumes whole or partial frames from {@code buffer}. */
    private void parse(ByteBuffer buffer) {
        while (buffer.hasRemaining()) {
            if (inputDone) {
                buffer.position(buffer.limit()); // after a close: drain and drop
                return;
            }
            if (payload == null) {
                while (headerHave < headerNeed && buffer.hasRemaining()) {
                    header[headerHave++] = buffer.get();
                }
                if (headerHave < headerNeed) {
                    return;
                }
                if (!headerComplete()) {
                    continue; // needs the extended length and the mask
                }
                if (payload == null) {
                    continue; // refused (inputDone) or an empty frame already handled
                }
            }
            int n = Math.min(buffer.remaining(), payload.length - payloadHave);
            buffer.get(payload, payloadHave, n);
            for (int i = payloadHave, end = payloadHave + n; i < end; i++) {
                payload[i] ^= mask[i & 3];
            }
            payloadHave += n;
            if (payloadHave == payload.length) {
                byte[] p = payload;
                payload = null;
                frame(p);
            }
        }
    }

    /**
     * Reads the header collected so far: false while more header bytes are needed; true once the
     * frame was either refused (a close is on its way) or started ({@link #payload} set, or the
     * empty frame handled).
     */
    private boolean headerComplete() {
        int b0 = header[0] & 0xFF;
        int b1 = header[1] & 0xFF;
        int len7 = b1 & 0x7F;
        int need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
        if ((b1 & 0x80) == 0) {
            return refuse(1002, "client frames must be masked");
        }
        if (headerHave < need) {
            headerNeed = need;
            return false;
        }
        headerHave = 0;
        headerNeed = 2;
        fin = (b0 & 0x80) != 0;
        opcode = b0 & 0x0F;
        long length = len7 == 126 ? ((header[2] & 0xFF) << 8) | (header[3] & 0xFF)
                : len7 == 127 ? ByteBuffer.wrap(header, 2, 8).getLong() : len7;
        System.arraycopy(header, need - 4, mask, 0, 4);
        if ((b0 & 0x70) != 0) {
            return refuse(1002, "no extension was negotiated: RSV bits must be 0");
        }
        boolean control = (opcode & 0x8) != 0;
        if (control) {
            if (opcode != WireFrames.OP_CLOSE && opcode != WireFrames.OP_PING && opcode != WireFrames.OP_PONG) {
                return refuse(1002, "unknown opcode " + opcode);
            }
            if (!fin || length > 125) {
                return refuse(1002, "control frames must be final and at most 125 bytes");
            }
        } else if (opcode == WireFrames.OP_BINARY) {
            // 1003 (unsupported data): the Pusher protocol has text frames only.
            return refuse(1003, "binary frames are not part of the Pusher protocol");
        } else if (opcode == WireFrames.OP_TEXT || opcode == WireFrames.OP_CONTINUATION) {
            if ((opcode == WireFrames.OP_CONTINUATION) != (partial != null)) {
                return refuse(1002, partial == null ? "continuation frame without a message to continue"
                        : "a new message before the previous one ended");
            }
            // Bytes, not characters: checked before anything is allocated for the frame.
            long before = opcode == WireFrames.OP_TEXT ? 0 : partialBytes;
            if (length < 0 || before + length > maxMessageBytes) {
                partial = null;
                return refuse(1009, "message larger than " + maxMessageBytes + " bytes");
            }
        } else {
            return refuse(1002, "unknown opcode " + opcode);
        }
        payload = new byte[(int) length];
        payloadHave = 0;
        if (length == 0) {
            payload = null;
            frame(new byte[0]);
        }
        return true;
    }

    private void frame(byte[] data) {
        switch (opcode) {
            case WireFrames.OP_TEXT, WireFrames.OP_CONTINUATION -> text(data);
            case WireFrames.OP_PING -> {
                activity();
                send(null, WireFrames.frame(WireFrames.OP_PONG, data));
            }
            case WireFrames.OP_PONG -> activity();
            case WireFrames.OP_CLOSE -> clientClosed(data);
            default -> refuse(1002, "unknown opcode " + opcode);
        }
    }

    private void text(byte[] data) {
        if (fin && partial == null) {
            // The common case: a whole message in one frame.
            Utf8StringBuilder utf8 = new Utf8StringBuilder(data.length);
            utf8.append(data, 0, data.length);
            String text = complete(utf8);
            if (text != null) {
                session.receive(text);
            }
            return;
        }
        if (partial == null) {
            partial = new Utf8StringBuilder();
            partialBytes = 0;
        }
        partialBytes += data.length;
        partial.append(data, 0, data.length);
        if (partial.hasCodingErrors()) {
            partial = null;
            refuse(1007, "text message is not valid UTF-8");
            return;
        }
        if (fin) {
            Utf8StringBuilder whole = partial;
            partial = null;
            String text = complete(whole);
            if (text != null) {
                session.receive(text);
            }
        }
    }

    /** The message's text, or null after refusing it with 1007 when it is not valid UTF-8 (RFC 6455 §8.1). */
    private String complete(Utf8StringBuilder utf8) {
        try {
            return utf8.build(); // throws on any invalid or incomplete sequence
        } catch (CharacterCodingException e) {
            refuse(1007, "text message is not valid UTF-8");
            return null;
        }
    }

    /** The client's close frame: echo its code (or 1000) unless ours already went, then end the connection. */
    private void clientClosed(byte[] data) {
        inputDone = true;
        int code = NO_STATUS;
        String reason = "";
        if (data.length == 1) {
            refuse(1002, "a close frame's payload is a code of two bytes and a reason");
            return;
        }
        if (data.length >= 2) {
            code = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
            if (!WireFrames.validCloseCode(code)) {
                refuse(1002, "invalid close code " + code);
                return;
            }
            try {
                reason = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data, 2, data.length - 2)).toString();
            } catch (CharacterCodingException e) {
                refuse(1007, "close reason is not valid UTF-8");
                return;
            }
        }
        closeReceived = true;
        if (closeCode == 0) {
            closeCode = code;
            closeReason = reason;
        }
        OutboundQueue q = queue;
        if (q != null) {
            q.terminated(); // nothing more is written after the close reply
        }
        sendClose(code == NO_STATUS ? 1000 : code, reason);
    }

    /** A protocol error: say why in a close frame and stop reading frames. Returns true (the frame is dealt with). */
    private boolean refuse(int code, String reason) {
        inputDone = true;
        payload = null;
        partial = null;
        headerHave = 0;
        headerNeed = 2;
        LOG.debug("{} closing with {}: {}", this, code, reason);
        OutboundQueue q = queue;
        if (q != null) {
            q.terminated();
        }
        sendClose(code, reason);
        return true;
    }

    private void activity() {
        Session s = session;
        if (s != null) {
            s.activity();
        }
    }

    // ---- writing ----

    /** What the outbound queue writes to (a sink of its own: its close is not {@link #close(int, String)}). */
    private final class Sink implements OutboundSink {
        @Override
        public void write(List<String> frames, WriteCompletion done) {
            int n = frames.size();
            ByteBuffer[] buffers = n == 1 ? dataWrite.one : new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                buffers[i] = WireFrames.text(frames.get(i));
            }
            dataWrite.done = done;
            send(dataWrite, buffers);
        }

        @Override
        public void close(int code, String reason) {
            sendClose(code, reason);
        }

        @Override
        public void abort() {
            getEndPoint().close();
        }
    }

    /**
     * Writes our close frame once (after anything already written), then half-closes: the client
     * answers with its close frame and its FIN, or the close timeout ends the connection. Closing
     * the socket at once could reset it with the client's unread frames and lose our close frame.
     */
    private void sendClose(int code, String reason) {
        synchronized (this) {
            if (closeQueued) {
                return;
            }
            closeQueued = true;
        }
        if (closeCode == 0) {
            closeCode = code;
            closeReason = CloseReasons.fit(reason);
        }
        send(Callback.from(this::closeWritten, x -> getEndPoint().close(x)), WireFrames.close(code, reason));
    }

    private void closeWritten() {
        EndPoint endPoint = getEndPoint();
        if (closeReceived) {
            endPoint.close();
            return;
        }
        endPoint.setIdleTimeout(Math.min(idleTimeoutMillis, closeTimeoutMillis));
        endPoint.shutdownOutput();
    }

    /** Writes {@code buffers} now, or after the write in progress; {@code callback} may be null. */
    private void send(Callback callback, ByteBuffer... buffers) {
        synchronized (this) {
            if (writing) {
                if (waiting == null) {
                    waiting = new ArrayDeque<>(2);
                }
                waiting.add(new Object[] {callback, buffers});
                return;
            }
            writing = true;
        }
        flush(callback, buffers);
    }

    /**
     * Writes {@code buffers} straight to the socket when it takes them all (the common case: a
     * frame or a few to a connection that keeps up), completing at once on this thread; what the
     * socket does not take goes to Jetty's write flusher, which waits for the socket to drain. One
     * flush at a time per connection ({@link #send} serialises them), so one completion object.
     */
    private void flush(Callback callback, ByteBuffer[] buffers) {
        flushing = callback;
        if (plain != null) {
            SocketChannel channel = plain.getChannel();
            try {
                long n = buffers.length == 1 ? channel.write(buffers[0]) : channel.write(buffers);
                if (n > 0) {
                    plain.notIdle();
                }
            } catch (IOException x) {
                flushed.failed(new EofException(x));
                return;
            }
            if (!BufferUtil.hasContent(buffers[buffers.length - 1])) {
                flushed.succeeded();
                return;
            }
        }
        getEndPoint().write(flushed, buffers);
    }

    /** The completion of the flush in progress (its callback is {@link #flushing}). */
    private final class Flushed implements Callback {
        @Override
        public void succeeded() {
            Callback callback = flushing;
            next();
            if (callback != null) {
                callback.succeeded();
            }
        }

        @Override
        public void failed(Throwable x) {
            Callback callback = flushing;
            failWaiting(x);
            if (callback != null) {
                callback.failed(x);
            }
            getEndPoint().close(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    private void next() {
        Object[] w;
        synchronized (this) {
            w = waiting == null ? null : waiting.poll();
            if (w == null) {
                writing = false;
                return;
            }
        }
        flush((Callback) w[0], (ByteBuffer[]) w[1]);
    }

    private void failWaiting(Throwable x) {
        ArrayDeque<Object[]> dropped;
        synchronized (this) {
            dropped = waiting;
            waiting = null;
            writing = false;
            closeQueued = true; // the wire is gone: nothing more is written
        }
        if (dropped != null) {
            for (Object[] w : dropped) {
                if (w[0] != null) {
                    ((Callback) w[0]).failed(x);
                }
            }
        }
    }

    /**
     * The queue's data write (one at a time per connection, so one reusable callback, and one
     * reusable array for a write of one frame, emptied when the write completes so that an idle
     * connection holds no frame).
     */
    private final class DataWrite implements Callback {
        final ByteBuffer[] one = new ByteBuffer[1];
        volatile WriteCompletion done;

        @Override
        public void succeeded() {
            one[0] = null;
            done.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            one[0] = null;
            done.failed(x);
        }
    }

    /** A failed write or a broken wire: the node reports it to its listeners (the close follows through onClose). */
    private void report(Throwable cause) {
        synchronized (this) {
            if (reported) {
                return;
            }
            reported = true;
        }
        Session s = session;
        if (s != null) {
            context.connectionFailed(s, cause);
        } else {
            LOG.debug("{} failed before it was open", this, cause);
        }
    }

    // ---- TransportConnection: outbound, from any thread ----

    @Override
    public boolean send(String frame) {
        return queue.offer(frame);
    }

    @Override
    public void close(int code, String reason) {
        queue.close(code, reason);
    }

    @Override
    public boolean isOpen() {
        OutboundQueue q = queue;
        return q != null && q.isOpen() && !closing() && getEndPoint().isOpen();
    }

    /** Whether a close frame was sent or is on its way (or the wire broke): nothing more goes out. */
    private synchronized boolean closing() {
        return closeQueued;
    }

    @Override
    public boolean ping() {
        if (!isOpen()) {
            return false;
        }
        send(null, WireFrames.frame(WireFrames.OP_PING, new byte[0]));
        return true;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String toConnectionString() {
        Session s = session;
        return id + (s == null || s.socketId() == null ? "" : "/" + s.socketId());
    }
}
