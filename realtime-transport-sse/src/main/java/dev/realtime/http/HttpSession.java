package dev.realtime.http;

import dev.realtime.spi.OutboundQueue;
import dev.realtime.spi.Session;
import dev.realtime.spi.TransportConnection;
import dev.realtime.spi.TransportContext;
import java.io.EOFException;
import java.nio.channels.ClosedChannelException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's session over HTTP: a node connection that outlives each request. The node's frames
 * wait in its {@link OutboundQueue}; a stream response ({@link #stream}) or a poll ({@link #poll})
 * attaches to take them, and what one response did not take the next one gets, in order, once.
 * Frames from the client ({@code xhr_send}, a POST) go to the node with {@link #receive}.
 *
 * <p>It ends once, in one of these ways: the node closes it (the close reaches the client as the last
 * chunk of a response), no request comes within the session timeout (expired), a stream breaks (the
 * client is gone), or a write fails; the node is then told ({@link Session#closed}), which removes its
 * presence and calls the listener. Thread-safe; the node serialises its own calls.
 */
public final class HttpSession implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSession.class);
    /** What an empty {@code xhr_send} ({@code []}, pusher-js's ping) tells the node, so it answers with a pong. */
    static final String PING = "{\"event\":\"pusher:ping\",\"data\":{}}";
    /** Pusher's generic "reconnect now" code, for a close whose own code was lost. */
    private static final int CLOSED_CODE = 4200;

    private final HttpSessions registry;
    private final String id;
    private final String remoteAddress;
    private final String secret;
    private final TransportContext context;
    private final ScheduledExecutorService timer;
    private final HttpTransport.Settings settings;
    private final AtomicBoolean ended = new AtomicBoolean();
    private OutboundQueue queue;
    private volatile Session node;
    /** The stream attached last, told when another replaces it. */
    private StreamSink stream;
    private volatile int closeCode;
    private volatile String closeReason;

    HttpSession(HttpSessions registry, String id, String remoteAddress, String secret, TransportContext context,
                ScheduledExecutorService timer, HttpTransport.Settings settings) {
        this.registry = registry;
        this.id = id;
        this.remoteAddress = remoteAddress;
        this.secret = secret;
        this.context = context;
        this.timer = timer;
        this.settings = settings;
    }

    void queue(OutboundQueue queue) {
        this.queue = queue;
    }

    /** The session's id: the path a pusher-js client chose, or the one the server issued. */
    public String id() {
        return id;
    }

    /** The secret of a server-issued session (given only to the client that opened it), or null. */
    public String secret() {
        return secret;
    }

    /** Whether {@code candidate} is this session's secret (compared in constant time). */
    public boolean secretMatches(String candidate) {
        return secret != null && candidate != null
                && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the request comes from the address that opened the session. */
    public boolean ownedBy(String address) {
        return remoteAddress.equals(address == null ? "unknown" : address);
    }

    /** The node's socket id, or null before {@link #open} or when the node refused it. */
    public String socketId() {
        Session n = node;
        return n == null ? null : n.socketId();
    }

    /**
     * Opens the session on the node, which queues {@code pusher:connection_established} (or an error
     * and a close: unknown key 4001, bad protocol 4007/4008, over a limit 4100). Returns the socket id,
     * null when refused.
     */
    public String open(String appKey, String protocol) {
        Session n = context.open(this, appKey, protocol);
        node = n;
        if (ended.get()) {
            n.closed(closeCode != 0 ? closeCode : 1006, "session ended while opening");
        }
        return n.socketId();
    }

    /** Frames from the client, in order; none ({@code []}, pusher-js's ping) is a ping the node answers with a pong. */
    public void receive(List<String> frames) {
        Session n = node;
        if (n == null || ended.get()) {
            return;
        }
        if (frames.isEmpty()) {
            n.receive(PING);
            return;
        }
        for (String frame : frames) {
            n.receive(frame);
        }
    }

    /**
     * Makes {@code exchange} (status and headers set) this session's stream: writes {@code preamble}
     * (may be empty), then every frame as it comes, a heartbeat when it has been silent for the
     * heartbeat interval, and the close. With {@code maxChars} > 0 it stops writing once it has written
     * more than that many characters and stays open, waiting for the client to open the next stream
     * (pusher-js reopens at 256 KB); the frames meanwhile wait for that stream.
     */
    public void stream(HttpExchange exchange, Framing framing, String preamble, long maxChars) {
        StreamSink sink = new StreamSink(this, exchange, framing, maxChars, settings.heartbeatInterval, timer);
        sink.start(preamble);
        if (!queue.attach(sink)) {
            sink.closeAfterStart(closeCode(), closeReason());
            return;
        }
        StreamSink previous;
        synchronized (this) {
            previous = stream;
            stream = sink;
        }
        if (previous != null) {
            previous.replaced(); // a no-op for a stream read to its limit: it is finished already
        }
    }

    /**
     * Makes {@code exchange} a poll: answered with the next batch of frames (at once when some wait),
     * or the close, or after the poll timeout with a heartbeat.
     */
    public void poll(HttpExchange exchange, Framing framing) {
        PollSink sink = new PollSink(this, exchange, framing, settings.pollTimeout, timer);
        sink.start();
        if (!queue.attachOnce(sink)) {
            sink.answerClosed(closeCode(), closeReason());
        }
    }

    /** Ends a session that will not be used (refused before its first response). */
    public void abandon(String reason) {
        ended(1000, reason);
    }

    boolean detach(StreamSink sink) {
        return queue.detach(sink);
    }

    boolean detach(PollSink sink) {
        return queue.detach(sink);
    }

    /** The close the node sent, as it went to a response: kept for a poll that comes after it. */
    void closing(int code, String reason) {
        closeReason = reason;
        closeCode = code;
    }

    int closeCode() {
        int c = closeCode;
        return c != 0 ? c : CLOSED_CODE;
    }

    String closeReason() {
        String r = closeReason;
        return r != null ? r : "session closed";
    }

    /** No request came within the session timeout (or a close was not taken in time). */
    void expired() {
        if (closeCode != 0) {
            ended(closeCode, closeReason);
        } else {
            ended(1006, "session expired: no request within " + registry.sessionTimeout(context).toSeconds() + " s");
        }
    }

    /** A write failed: the client is gone (reported to the node's listeners unless it just went away). */
    void failed(Throwable cause) {
        Session n = node;
        if (n != null && !clientWentAway(cause)) {
            context.connectionFailed(n, cause);
        }
        ended(1006, "connection lost: " + cause);
    }

    /** The session is over: forgotten here, the node told (a no-op when the node closed it itself). */
    void ended(int code, String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        queue.terminated();
        registry.remove(this);
        Session n = node;
        if (n != null) {
            n.closed(code, reason);
        }
        LOG.debug("{} ended: {} {}", this, code, reason);
    }

    static boolean clientWentAway(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof ClosedChannelException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            String name = t.getClass().getSimpleName();
            if (name.contains("ClientAbort") || name.contains("EofException")) {
                return true;
            }
        }
        return false;
    }

    // ---- TransportConnection: from the node, any thread ----

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
        return !ended.get() && queue.isOpen();
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String toString() {
        String socket = socketId();
        return "http-session " + (secret == null ? id : id.substring(0, Math.min(6, id.length())) + "…")
                + (socket == null ? "" : "/" + socket);
    }
}
