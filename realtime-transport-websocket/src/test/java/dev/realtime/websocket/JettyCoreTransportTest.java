package dev.realtime.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.spi.OutboundStats;
import dev.realtime.spi.Transport;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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

    @Test
    void aFrameFromDirectMemoryTheSocketTakesInPartArrivesWholeAfterTheWriterMovedOnToOtherFrames() throws Exception {
        int before = WireFrames.directAfter;
        WireFrames.directAfter = 1; // every frame is written from direct memory (a broadcast's, past 8 deliveries)
        try {
            frameTakenInPartArrivesWhole();
        } finally {
            WireFrames.directAfter = before;
        }
    }

    /** Whether the connector has the transport's connection factory first (as the standalone server's has). */
    protected boolean shortUpgrades() {
        return true;
    }

    private long shortUpgradesTaken() {
        return ((JettyWebSocketTransport) transport).shortUpgrades.sum();
    }

    @Test
    void aPusherClientsUpgradeSkipsJettysHttpHandlingAndEveryOtherRequestGoesOnToIt() throws Exception {
        start(b -> { });
        client().awaitEstablished();
        assertThat(shortUpgradesTaken()).isEqualTo(shortUpgrades() ? 1 : 0);
        // A head in two reads, a percent-encoded key, another path and a plain GET: HTTP/1.1's, answered as ever.
        String request = "GET /app/" + KEY + "?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.substring(0, 40).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Thread.sleep(300);
            s.getOutputStream().write(request.substring(40).getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 101").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
        assertThat(head(port, request.replace("/app/app-key", "/app/app%2Dkey"))).startsWith("HTTP/1.1 101");
        assertThat(head(port, request.replace("/app/app-key", "/other"))).startsWith("HTTP/1.1 200");
        assertThat(head(port, "GET /app/app-key HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).startsWith("HTTP/1.1 200");
        assertThat(shortUpgradesTaken()).isEqualTo(shortUpgrades() ? 1 : 0);
        assertThat(head(port, request)).startsWith("HTTP/1.1 101").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(shortUpgradesTaken()).isEqualTo(shortUpgrades() ? 2 : 0);
    }

    @Test
    void aHeadLargerThanTheFirstReadReachesHttpWhole() throws Exception {
        start(b -> { });
        // 6 KB of head: the first read holds 4 KB of it, and HTTP/1.1 must get those and the rest in order.
        String request = "GET /app/" + KEY + "?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Cookie: c=" + "x".repeat(6000) + "\r\n\r\n";
        assertThat(head(port, request)).startsWith("HTTP/1.1 101").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(shortUpgradesTaken()).isZero();
    }

    @Test
    void anUpgradeFromARefusedOriginGets403AndAnUnstartedTransport503EitherWay() throws Exception {
        start(newTransport("https://allowed.example"), b -> { });
        String request = "GET /app/" + KEY + "?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
        assertThat(head(port, request + "Origin: https://evil.example\r\n\r\n")).startsWith("HTTP/1.1 403");
        assertThat(head(port, request + "Origin: https://allowed.example\r\n\r\n")).startsWith("HTTP/1.1 101");
        realtime.removeTransport(transport);
        assertThat(head(port, request + "Origin: https://allowed.example\r\n\r\n")).startsWith("HTTP/1.1 503");
        assertThat(shortUpgradesTaken()).isEqualTo(shortUpgrades() ? 1 : 0);
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
        if (shortUpgrades()) {
            connector.addFirstConnectionFactory(((JettyWebSocketTransport) transport).createConnectionFactory());
        }
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
            return readHead(s.getInputStream());
        }
    }

    private static final String SUBSCRIBE = "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"news\"}}";

    // ---- RFC 6455 framing of WireConnection (the default without permessage-deflate) ----

    @Test
    void protocolViolationsAreClosedWith1002AndOthersAreStillServed() throws Exception {
        start(b -> { });
        WsClient canary = client();
        canary.awaitEstablished();
        canary.send(SUBSCRIBE.replace("news", "canary"));
        canary.awaitEvent("pusher_internal:subscription_succeeded");
        byte[] hello = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> violations = new java.util.LinkedHashMap<>();
        violations.put("unmasked frame", unmasked(0x81, hello));
        violations.put("RSV1 without an extension", masked(0x80 | 0x40 | 0x1, hello));
        violations.put("continuation without a message", masked(0x80, hello));
        violations.put("a new message inside a fragmented one", concat(masked(0x01, hello), masked(0x81, hello)));
        violations.put("unknown data opcode", masked(0x83, hello));
        violations.put("unknown control opcode", masked(0x8B, new byte[0]));
        violations.put("fragmented ping", masked(0x09, new byte[0]));
        violations.put("ping over 125 bytes", masked(0x89, new byte[126]));
        violations.put("close with a one-byte payload", masked(0x88, new byte[] {3}));
        violations.put("close with a reserved code (1005)", masked(0x88, new byte[] {0x03, (byte) 0xED}));
        for (Map.Entry<String, byte[]> v : violations.entrySet()) {
            RawWebSocket r = raw(0);
            r.readText(); // connection_established
            r.sendRaw(v.getValue());
            assertThat(r.readUntilClose()).as(v.getKey()).isEqualTo(1002);
        }
        realtime.broadcast("canary", "after", Map.of());
        canary.awaitEvent("after");
    }

    @Test
    void aFragmentedMessageWithAPingBetweenItsFramesSentOneByteAtATimeIsReadWhole() throws Exception {
        start(b -> { });
        RawWebSocket r = raw(0);
        r.readText();
        byte[] text = SUBSCRIBE.getBytes(StandardCharsets.UTF_8);
        int cut = 17;
        byte[] bytes = concat(masked(0x01, java.util.Arrays.copyOfRange(text, 0, cut)),
                masked(0x89, "are you there".getBytes(StandardCharsets.UTF_8)),
                masked(0x80, java.util.Arrays.copyOfRange(text, cut, text.length)));
        for (byte b : bytes) {
            r.sendRaw(new byte[] {b}); // one segment per byte: every parser state is split
        }
        RawWebSocket.Frame pong = r.read();
        assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
        assertThat(pong.text()).isEqualTo("are you there");
        assertThat(r.readText()).contains("pusher_internal:subscription_succeeded").contains("news");
        realtime.broadcast("news", "headline", Map.of("n", 1));
        assertThat(r.readText()).contains("headline");
    }

    @Test
    void aFrameSentRightBehindTheUpgradeRequestIsRead() throws Exception {
        start(b -> { });
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) WsClient.TIMEOUT.toMillis());
            String request = "GET /app/" + KEY + "?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n";
            // The upgrade request and a subscribe frame in one write: the frame arrives with the request's bytes.
            s.getOutputStream().write(concat(request.getBytes(StandardCharsets.US_ASCII), masked(0x81, SUBSCRIBE.getBytes(StandardCharsets.UTF_8))));
            String head = readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 101")
                    // RFC 6455 §1.3's example key and answer.
                    .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            String received = "";
            while (!received.contains("subscription_succeeded")) {
                byte[] more = new byte[4096];
                int n = s.getInputStream().read(more);
                assertThat(n).as("subscription_succeeded before the end of the stream; got " + received).isPositive();
                received += new String(more, 0, n, StandardCharsets.UTF_8);
            }
            assertThat(received).contains("pusher:connection_established");
        }
    }

    @Test
    void aClientsCloseIsEchoedWithItsCodeAndReportedWithIt() throws Exception {
        start(b -> { });
        RawWebSocket r = raw(0);
        String id = socketIdOf(r.readText());
        byte[] reason = "bye".getBytes(StandardCharsets.UTF_8);
        r.sendRaw(masked(0x88, concat(new byte[] {0x0F, (byte) 0xA0}, reason))); // 4000
        RawWebSocket.Frame close = r.read();
        assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
        assertThat(close.closeCode()).isEqualTo(4000);
        awaitListenerEvent("closed " + id + " 4000");
        assertThat(r.read0()).as("the server ends the TCP connection after the close handshake").isEqualTo(-1);
    }

    /** The response head: up to the blank line (or the end of the stream). */
    private static String readHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    /** A client frame with first byte {@code b0} (FIN, RSV, opcode), masked as RFC 6455 requires. */
    private static byte[] masked(int b0, byte[] payload) {
        byte[] f = RawWebSocket.frame(b0 & 0x0F, payload);
        f[0] = (byte) b0;
        return f;
    }

    /** The same frame without the mask bit and key (the payload as is). */
    private static byte[] unmasked(int b0, byte[] payload) {
        return concat(new byte[] {(byte) b0, (byte) payload.length}, payload);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
