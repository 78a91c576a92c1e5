package dev.realtime.testing;

import dev.realtime.User;
import dev.realtime.spi.Session;
import dev.realtime.spi.Transport;
import dev.realtime.spi.TransportConnection;
import dev.realtime.spi.TransportContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A transport without a network, for tests and benchmarks. Frames go through the same protocol
 * engine as on every other transport; delivery is synchronous (the sender's thread hands the frame
 * to the client), so tests are deterministic.
 */
public final class InMemoryTransport implements Transport {
    /** The protocol version test clients announce. */
    public static final String PROTOCOL = "7";

    private volatile TransportContext context;
    private final Set<TransportConnection> connections = ConcurrentHashMap.newKeySet();

    @Override
    public void start(TransportContext context) {
        this.context = context;
    }

    @Override
    public void stop() {
        for (TransportConnection c : List.copyOf(connections)) {
            c.close(4200, "transport stopped");
        }
    }

    /** An anonymous client, connected. */
    public TestClient connect() {
        return connect((User) null);
    }

    /** A client acting for {@code user} (its subscriptions are authorized as that user), connected. */
    public TestClient connect(User user) {
        return connect(user, context().realtime().app().key(), PROTOCOL, null);
    }

    /** A client with every connection parameter chosen (to test refusals: wrong key, protocol, address). */
    public TestClient connect(User user, String appKey, String protocol, String remoteAddress) {
        TestClient client = new TestClient(context().realtime(), user);
        MemoryConnection conn = new MemoryConnection(client::accept, client::closedByServer, remoteAddress,
                context().limits().outboundQueueFrames(), client);
        connections.add(conn);
        client.attach(conn, context().open(conn, appKey, protocol));
        return client;
    }

    /**
     * A bare connection whose frames go straight to {@code sink} on the sender's thread; for
     * benchmarks and tests that count deliveries without keeping them.
     */
    public Socket connectSink(Consumer<String> sink) {
        MemoryConnection conn = new MemoryConnection(sink, (code, reason) -> { }, null, Integer.MAX_VALUE, null);
        connections.add(conn);
        Session session = context().open(conn, context().realtime().app().key(), PROTOCOL);
        conn.session = session;
        return new Socket(conn, session);
    }

    private TransportContext context() {
        TransportContext c = context;
        if (c == null) {
            throw new IllegalStateException("InMemoryTransport is not started: pass it to Realtime.builder().transport(…) and build()");
        }
        return c;
    }

    /** A bare in-memory connection: send frames up, close it. */
    public static final class Socket {
        private final MemoryConnection connection;
        private final Session session;

        Socket(MemoryConnection connection, Session session) {
            this.connection = connection;
            this.session = session;
        }

        /** The socket id the node gave. */
        public String socketId() { return session.socketId(); }

        /** Sends one text frame to the server. */
        public void send(String text) { session.receive(text); }

        /** Whether the connection is open. */
        public boolean isOpen() { return connection.isOpen(); }

        /** Closes from the client side. */
        public void close() { connection.clientClose(1000, "client closed"); }
    }

    /** The transport side of one in-memory connection. */
    final class MemoryConnection implements TransportConnection {
        private final Consumer<String> sink;
        private final java.util.function.BiConsumer<Integer, String> onClose;
        private final String remoteAddress;
        private final int capacity;
        private final TestClient client;
        private volatile boolean open = true;
        volatile Session session;

        MemoryConnection(Consumer<String> sink, java.util.function.BiConsumer<Integer, String> onClose,
                         String remoteAddress, int capacity, TestClient client) {
            this.sink = sink;
            this.onClose = onClose;
            this.remoteAddress = remoteAddress;
            this.capacity = capacity;
            this.client = client;
        }

        @Override
        public boolean send(String frame) {
            if (!open) {
                return true;
            }
            if (client != null && client.pending() >= capacity) {
                return false;
            }
            sink.accept(frame);
            return true;
        }

        @Override
        public void close(int code, String reason) {
            if (open) {
                open = false;
                connections.remove(this);
                onClose.accept(code, reason);
                Session s = session;
                if (s != null) {
                    s.closed(code, reason);
                }
            }
        }

        /** The wire failed: the failure is reported to the node, then the connection ends with 1006. */
        void fail(Throwable cause) {
            if (open) {
                context().connectionFailed(session, cause);
                clientClose(1006, "wire failed: " + cause.getMessage());
            }
        }

        void clientClose(int code, String reason) {
            if (open) {
                open = false;
                connections.remove(this);
                Session s = session;
                if (s != null) {
                    s.closed(code, reason);
                }
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public String remoteAddress() {
            return remoteAddress;
        }
    }
}
