package dev.realtime.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.spi.OutboundStats;
import dev.realtime.spi.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** The transport contract against {@link JettyWebSocketTransport} in an embedded Jetty 12 server. */
class JettyCoreTransportTest extends WebSocketTransportContract {
    private Server server;

    @Override
    protected Transport newTransport(String... allowedOrigins) {
        return JettyWebSocketTransport.builder().allowedOrigins(allowedOrigins).build();
    }

    @Override
    protected Transport newTransport(java.time.Duration idleTimeout) {
        return JettyWebSocketTransport.builder().idleTimeout(idleTimeout).build();
    }

    @Override
    protected OutboundStats stats(Transport transport) {
        return ((JettyWebSocketTransport) transport).outboundStats();
    }

    @Override
    protected int startContainer(Transport transport) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        Handler other = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, java.nio.ByteBuffer.wrap("other handler".getBytes()), callback);
                return true;
            }
        };
        server.setHandler(new Handler.Sequence(((JettyWebSocketTransport) transport).createHandler(server), other));
        server.start();
        return connector.getLocalPort();
    }

    @Override
    protected void stopContainer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void requestsOutsideAppPathGoToTheNextHandler() throws Exception {
        start(b -> { });
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/", "/app/app-key", "/app/app-key/extra", "/health"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).as(path).isEqualTo("other handler");
        }
    }

    @Test
    void permessageDeflateIsDeclinedUnlessEnabled() throws Exception {
        start(b -> { });
        assertThat(upgradeHead(port)).doesNotContainIgnoringCase("permessage-deflate");
        stopContainer();
        realtime.close();
        start(JettyWebSocketTransport.builder().compression(true).build(), b -> { });
        assertThat(upgradeHead(port)).containsIgnoringCase("Sec-WebSocket-Extensions: permessage-deflate");
    }

    @Test
    void anUnsupportedWebSocketVersionGets426WithTheVersionWeSpeak() throws Exception {
        start(b -> { });
        for (String version : new String[] {"Sec-WebSocket-Version: 8\r\n", ""}) {
            String head = head(port, "GET /app/app-key?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + version + "\r\n");
            assertThat(head).as(version).startsWith("HTTP/1.1 426").containsIgnoringCase("Sec-WebSocket-Version: 13");
        }
        WsClient c = client();
        c.awaitEstablished();
    }

    @Test
    void aPeerThatReadsNothingIsDroppedAfterTheCloseTimeoutWithoutHoldingItsBacklog() throws Exception {
        start(JettyWebSocketTransport.builder().closeTimeout(java.time.Duration.ofMillis(500)).build(),
                // Frames large enough that the write in flight (up to 200 x 60 KB) cannot fit in the socket buffers.
                b -> b.limits(dev.realtime.Limits.builder().outboundQueueFrames(200).maxPayloadBytes(60_000).build()));
        RawWebSocket stalled = raw(4096);
        String id = socketIdOf(stalled.readText());
        stalled.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"firehose\"}}");
        assertThat(stalled.readText()).contains("subscription_succeeded");
        String payload = "y".repeat(59_000);
        for (int sent = 0; !events.contains("slowConsumer " + id) && sent < 20_000; sent++) {
            realtime.broadcast("firehose", "tick", tick(sent, payload));
        }
        awaitListenerEvent("closed " + id + " 4100");
        long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
        while (((JettyWebSocketTransport) transport).connectionCount() > 0) {
            assertThat(System.nanoTime()).as("the stalled connection is dropped after the close timeout").isLessThan(deadline);
            Thread.sleep(20);
        }
        // What was already in the socket buffers arrives, then the end of the stream: no close frame was ever written.
        assertThatEndsWithoutACloseFrame(stalled);
    }

    private static void assertThatEndsWithoutACloseFrame(RawWebSocket r) {
        try {
            while (true) {
                assertThat(r.read().opcode()).isNotEqualTo(RawWebSocket.CLOSE);
            }
        } catch (java.io.IOException expected) {
            // end of stream (possibly in the middle of a frame) or reset
        }
    }

    /** The response head of an upgrade request that offers permessage-deflate, as browsers do. */
    private static String upgradeHead(int port) throws Exception {
        String head = head(port, "GET /app/app-key?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 101");
        return head;
    }

    /** Sends {@code request} on a new socket and returns the response head. */
    private static String head(int port, String request) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            java.io.InputStream in = s.getInputStream();
            while (head.indexOf("\r\n\r\n") < 0) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.append((char) c);
            }
            return head.toString();
        }
    }
}
