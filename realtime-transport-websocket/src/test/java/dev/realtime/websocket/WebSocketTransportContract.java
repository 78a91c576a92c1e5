package dev.realtime.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.ConnectionInfo;
import dev.realtime.Realtime;
import dev.realtime.RealtimeBuilder;
import dev.realtime.RealtimeListener;
import dev.realtime.spi.Transport;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every WebSocket transport must do, written once and run in each container by a subclass:
 * the handshake and close codes of PROTOCOL.md §1, frames both ways, bad input, limits, slow
 * consumers, write coalescing and ping/pong.
 */
abstract class WebSocketTransportContract {
    static final String KEY = "app-key";

    protected Realtime realtime;
    protected Transport transport;
    protected int port;
    protected final List<String> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();

    /** A new transport to test. */
    protected abstract Transport newTransport();

    /** The transport's outbound counters. */
    protected abstract OutboundStats stats(Transport transport);

    /** Starts a container serving {@code transport} (already started by the node) on a random port; returns it. */
    protected abstract int startContainer(Transport transport) throws Exception;

    protected abstract void stopContainer() throws Exception;

    /** Builds a node around a new transport, with {@code custom} applied, and serves it. */
    protected void start(Consumer<RealtimeBuilder> custom) throws Exception {
        transport = newTransport();
        RealtimeBuilder b = Realtime.builder().app("app-id", KEY, "app-secret").transport(transport)
                .listener(new RealtimeListener() {
                    @Override
                    public void slowConsumer(ConnectionInfo connection) {
                        events.add("slowConsumer " + connection.socketId());
                    }

                    @Override
                    public void connectionClosed(ConnectionInfo connection, int code, String reason) {
                        events.add("closed " + connection.socketId() + " " + code);
                    }
                });
        custom.accept(b);
        realtime = b.build();
        port = startContainer(transport);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        if (realtime != null) {
            realtime.close();
        }
        stopContainer();
    }

    URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    }

    WsClient client(String pathAndQuery) {
        WsClient c = WsClient.connect(uri(pathAndQuery));
        clients.add(c);
        return c;
    }

    /** A client on {@code /app/app-key?protocol=7}. */
    WsClient client() {
        return client("/app/" + KEY + "?protocol=7&client=js&version=8.6.0&flash=false");
    }

    @Test
    void connectionEstablishedCarriesAPusherSocketId() throws Exception {
        start(b -> { });
        WsClient c = client();
        String socketId = c.awaitEstablished();
        assertThat(socketId).matches("^\\d+\\.\\d+$");
        assertThat(c.seen().get(0)).contains("\"activity_timeout\\\":");
    }

    @Test
    void subscribedClientReceivesBroadcasts() throws Exception {
        start(b -> { });
        WsClient c = client();
        c.awaitEstablished();
        c.subscribe("chat.room.1");
        realtime.broadcast("chat.room.1", "message.sent", java.util.Map.of("text", "hi"));
        String m = c.awaitEvent("message.sent");
        assertThat(m).contains("\"channel\":\"chat.room.1\"").contains("hi");
    }

    @Test
    void unknownAppKeyGetsError4001ThenClose4001() throws Exception {
        start(b -> { });
        WsClient c = client("/app/wrong-key?protocol=7");
        String error = c.awaitEvent("pusher:error");
        assertThat(error).contains("4001");
        assertThat(c.awaitClose()).isEqualTo(4001);
    }
}
