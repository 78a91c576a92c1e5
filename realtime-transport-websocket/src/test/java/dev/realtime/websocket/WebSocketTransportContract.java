package dev.realtime.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realtime.ConnectionFailedException;
import dev.realtime.ConnectionInfo;
import dev.realtime.Limits;
import dev.realtime.Realtime;
import dev.realtime.RealtimeBuilder;
import dev.realtime.RealtimeListener;
import dev.realtime.spi.OutboundStats;
import dev.realtime.spi.Transport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
    /** What the node's listener reported, e.g. {@code "closed <socketId> 4100"}. */
    protected final List<String> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();

    /** A new transport to test; {@code allowedOrigins} empty = every origin. */
    protected abstract Transport newTransport(String... allowedOrigins);

    /**
     * Whether the container (not our code: the Jakarta adapter leaves UTF-8 checks to it) may drop a
     * connection that sent invalid UTF-8 without writing its 1007 close frame first (Tomcat sometimes does).
     */
    protected boolean containerMayDropInvalidUtf8WithoutACloseFrame() {
        return false;
    }

    /** A new transport whose container drops a connection after {@code idleTimeout} without progress. */
    protected abstract Transport newTransport(Duration idleTimeout);

    /** The transport's outbound counters. */
    protected abstract OutboundStats stats(Transport transport);

    /** Starts a container serving {@code transport} (already started by the node) on a random port; returns it. */
    protected abstract int startContainer(Transport transport) throws Exception;

    protected abstract void stopContainer() throws Exception;

    /** Builds a node around a new transport, with {@code custom} applied, and serves it. */
    protected void start(Consumer<RealtimeBuilder> custom) throws Exception {
        start(newTransport(), custom);
    }

    protected void start(Transport t, Consumer<RealtimeBuilder> custom) throws Exception {
        transport = t;
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
    void closingTheNodeClosesClientsWithAReconnectCode() throws Exception {
        start(b -> { });
        WsClient c = client();
        c.awaitEstablished();
        c.subscribe("news");
        for (int i = 0; i < 300; i++) {
            realtime.broadcast("news", "tick", i); // writes still queued when the node closes
        }
        realtime.close();
        assertThat(c.awaitClose()).as("4200 after the queued frames: pusher-js reconnects at once").isEqualTo(4200);
    }

    @Test
    void unknownAppKeyGetsError4001ThenClose4001() throws Exception {
        start(b -> { });
        WsClient c = client("/app/wrong-key?protocol=7");
        String error = c.awaitEvent("pusher:error");
        assertThat(error).contains("4001");
        assertThat(c.awaitClose()).isEqualTo(4001);
    }

    @Test
    void missingProtocolGetsError4008ThenClose4008() throws Exception {
        start(b -> { });
        WsClient c = client("/app/" + KEY + "?client=js");
        assertThat(c.awaitEvent("pusher:error")).contains("\"code\":4008");
        assertThat(c.awaitClose()).isEqualTo(4008);
    }

    @Test
    void unsupportedProtocolGetsClose4007() throws Exception {
        start(b -> { });
        WsClient c = client("/app/" + KEY + "?protocol=3");
        assertThat(c.awaitEvent("pusher:error")).contains("\"code\":4007");
        assertThat(c.awaitClose()).isEqualTo(4007);
    }

    @Test
    void badInputGetsItsDocumentedErrorAndTheConnectionStaysUsable() throws Exception {
        start(b -> { });
        WsClient c = client();
        String socketId = c.awaitEstablished();

        c.send("{not json");
        assertThat(c.awaitEvent("pusher:error")).contains("\"code\":4200");
        c.send("{\"data\":{\"channel\":\"x\"}}");
        assertThat(c.awaitEvent("pusher:error")).contains("\"code\":4200");
        c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"bad channel!\"}}");
        assertThat(c.awaitEvent("pusher:subscription_error")).contains("InvalidChannel");

        String channel = "private-chat.1";
        c.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":\"" + auth(socketId, channel) + "\"}}");
        c.awaitEvent("pusher_internal:subscription_succeeded");
        c.send("{\"event\":\"client-typing\",\"channel\":\"" + channel + "\",\"data\":{\"t\":\"" + "x".repeat(12 * 1024) + "\"}}");
        assertThat(c.awaitEvent("pusher:error")).contains("\"code\":4200").contains("larger than");

        c.subscribe("public.after");
        realtime.broadcast("public.after", "still.here", Map.of());
        c.awaitEvent("still.here");
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void messageOverMaxMessageBytesIsClosedWith1009AndOthersAreStillServed() throws Exception {
        start(b -> b.limits(Limits.builder().maxMessageBytes(16 * 1024).maxPayloadBytes(15 * 1024).build()));
        WsClient other = client();
        other.awaitEstablished();
        other.subscribe("news");
        WsClient big = client();
        big.awaitEstablished();

        big.send("{\"event\":\"pusher:ping\",\"data\":\"" + "x".repeat(20 * 1024) + "\"}");
        assertThat(big.awaitClose()).isEqualTo(1009);

        // Quotes are escaped twice in the frame: it goes out larger than maxMessageBytes, which limits inbound only.
        String quoted = "\"".repeat(7 * 1024);
        realtime.broadcast("news", "big.one", Map.of("q", quoted));
        assertThat(other.awaitEvent("big.one").length()).isGreaterThan(16 * 1024);
    }

    @Test
    void binaryFramesAreClosedWith1003() throws Exception {
        start(b -> { });
        RawWebSocket r = raw(0);
        r.readText();
        r.sendFrame(2, new byte[] {1, 2, 3});
        assertThat(r.readUntilClose()).isEqualTo(1003);
    }

    @Test
    void floodOfSubscribesGetsLimitReachedAndTheServerKeepsServing() throws Exception {
        start(b -> b.limits(Limits.builder().maxChannelsPerConnection(5).build()));
        WsClient bystander = client();
        bystander.awaitEstablished();
        bystander.subscribe("lobby");
        WsClient flood = client();
        flood.awaitEstablished();

        for (int i = 0; i < 40; i++) {
            flood.send("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"flood." + i + "\"}}");
        }
        int succeeded = 0;
        int limited = 0;
        while (succeeded + limited < 40) {
            String m = flood.await(f -> f.contains("subscription_succeeded") || f.contains("subscription_error"), "a subscribe answer");
            if (m.contains("LimitReached")) {
                limited++;
            } else {
                succeeded++;
            }
        }
        assertThat(succeeded).isEqualTo(5);
        assertThat(limited).isEqualTo(35);

        realtime.broadcast("lobby", "open", Map.of());
        bystander.awaitEvent("open");
        realtime.broadcast("flood.0", "open", Map.of());
        flood.awaitEvent("open");
    }

    @Test
    void slowConsumerIsClosedWith4100AndReportedWhileBroadcastsToOthersComplete() throws Exception {
        start(b -> b.limits(Limits.builder().outboundQueueFrames(32).build()));
        WsClient healthy = client();
        healthy.awaitEstablished();
        healthy.subscribe("firehose");
        RawWebSocket slow = raw(4096);
        String slowId = socketIdOf(slow.readText());
        slow.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"firehose\"}}");
        assertThat(slow.readText()).contains("subscription_succeeded");
        // From here on the slow client never reads: its socket buffers fill, then its queue.

        String payload = "y".repeat(8000);
        int sent = 0;
        while (!events.contains("slowConsumer " + slowId) && sent < 20_000) {
            realtime.broadcast("firehose", "tick", tick(sent, payload));
            sent++;
            // Lock-step with the healthy client, so only the slow one can fall behind.
            int n = sent - 1;
            healthy.await(m -> m.contains("\"tick\"") && m.contains("\\\"n\\\":" + n + ","), "tick " + n);
        }
        awaitListenerEvent("closed " + slowId + " 4100");
        assertThat(healthy.isOpen()).isTrue();
        realtime.broadcast("firehose", "after", Map.of());
        healthy.awaitEvent("after");
    }

    @Test
    void aSlowConsumerThatReadsAgainGetsWholeFramesThenItsClose4100() throws Exception {
        start(b -> b.limits(Limits.builder().outboundQueueFrames(32).build()));
        WsClient canary = client();
        canary.awaitEstablished();
        canary.subscribe("canary");
        RawWebSocket slow = raw(4096);
        String slowId = socketIdOf(slow.readText());
        slow.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"firehose\"}}");
        assertThat(slow.readText()).contains("subscription_succeeded");

        String payload = "y".repeat(8000);
        for (int sent = 0; !events.contains("slowConsumer " + slowId) && sent < 20_000; sent++) {
            realtime.broadcast("firehose", "tick", tick(sent, payload));
        }
        awaitListenerEvent("closed " + slowId + " 4100");
        realtime.broadcast("canary", "during", Map.of());
        canary.awaitEvent("during");

        // The client reads again: every frame already on its way arrives whole, then the close frame.
        int last = -1;
        while (true) {
            RawWebSocket.Frame f = slow.read(); // a frame cut short would end in EOFException here
            if (f.opcode() == RawWebSocket.CLOSE) {
                assertThat(f.closeCode()).as("a slow consumer backs off on 4100 (not 1006)").isEqualTo(4100);
                break;
            }
            if (f.opcode() == RawWebSocket.TEXT) {
                String text = f.text();
                assertThat(text).startsWith("{\"event\":\"tick\"").endsWith("}");
                int n = Integer.parseInt(text.replaceAll(".*\\\\\"n\\\\\":(\\d+),.*", "$1"));
                assertThat(n).as("frames in order, none repeated").isGreaterThan(last);
                last = n;
            }
        }
        // How many frames were already on their way depends on the container (Jetty: hundreds; Tomcat may have
        // none in flight when the close is asked for); what matters is that none is cut and the close code arrives.
    }

    @Test
    void aFrameTheSocketTakesInPartArrivesWholeAfterTheWriterMovedOnToOtherFrames() throws Exception {
        frameTakenInPartArrivesWhole();
    }

    /** Broadcasts frames of distinct bytes to a client that reads nothing and to readers sharing its writer thread. */
    protected void frameTakenInPartArrivesWhole() throws Exception {
        start(b -> { });
        RawWebSocket slow = raw(4096);
        socketIdOf(slow.readText());
        slow.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"firehose\"}}");
        assertThat(slow.readText()).contains("subscription_succeeded");
        // More readers than writer threads: some share the slow client's writer, which writes their next
        // frames while a frame of the slow client's is still half in its socket.
        List<WsClient> readers = new ArrayList<>();
        for (int i = 0; i < Math.max(8, 2 * Runtime.getRuntime().availableProcessors()); i++) {
            WsClient c = client();
            c.awaitEstablished();
            c.subscribe("firehose");
            readers.add(c);
        }
        // The slow client reads nothing until the end: its socket fills (the kernel grows a send buffer up
        // to tcp_wmem's maximum) and some frame is written in part.
        int frames = (int) (maxSendBufferBytes() / 8000) + 200;
        for (int n = 0; n < frames; n++) {
            realtime.broadcast("firehose", "tick", tick(n, distinctPayload(n)));
            int sent = n;
            for (WsClient c : readers) { // lock-step: each frame is its own write to every reader
                c.await(m -> m.contains("\\\"n\\\":" + sent + ","), "tick " + sent);
            }
        }
        for (int n = 0; n < frames; n++) {
            String text = slow.readText();
            boolean whole = text.contains("\\\"n\\\":" + n + ",") && text.contains(distinctPayload(n));
            assertThat(whole).as("frame %d arrives whole, with its own bytes; got %s…%s", n,
                    text.substring(0, Math.min(60, text.length())), text.substring(Math.max(0, text.length() - 30))).isTrue();
        }
    }

    private static long maxSendBufferBytes() {
        try {
            String[] wmem = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
            return Long.parseLong(wmem[2]);
        } catch (java.io.IOException | RuntimeException e) {
            return 4L << 20; // Linux's default
        }
    }

    /** 8 000 bytes that differ from frame to frame all along (a frame's tail is as telling as its head). */
    private static String distinctPayload(int n) {
        return String.valueOf((char) ('a' + n % 26)).repeat(7990) + String.format("%010d", n);
    }

    @Test
    void aFloodOfSubscribesFromAClientThatKeepsReadingIsAnsweredWithoutEvictingIt() throws Exception {
        start(b -> { });
        WsClient canary = client();
        canary.awaitEstablished();
        canary.subscribe("canary");
        RawWebSocket flood = raw(0);
        String floodId = socketIdOf(flood.readText());
        flood.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"home\"}}");
        assertThat(flood.readText()).contains("subscription_succeeded");

        java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
        int count = 10_000;
        for (int i = 0; i < count; i++) {
            burst.writeBytes(RawWebSocket.frame(RawWebSocket.TEXT, ("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\","
                    + "\"channel\":\"flood." + i + "\"}}").getBytes(StandardCharsets.UTF_8)));
        }
        Thread sender = new Thread(() -> {
            try {
                flood.sendRaw(burst.toByteArray());
            } catch (java.io.IOException e) {
                // the read loop below reports what happened
            }
        });
        sender.start();
        realtime.broadcast("canary", "during", Map.of());
        canary.awaitEvent("during");

        // Read what the burst caused; the flood guard answers with a few 4301s, not one per dropped frame.
        sender.join();
        realtime.broadcast("home", "after", Map.of());
        int[] floodErrors = new int[1];
        readUntil(flood, "\"after\"", floodErrors);
        Thread.sleep(1100); // the flood guard's bucket refills
        flood.sendText("{\"event\":\"pusher:ping\",\"data\":{}}");
        readUntil(flood, "pusher:pong", floodErrors);
        assertThat(events).doesNotContain("slowConsumer " + floodId, "closed " + floodId + " 4100");
        assertThat(floodErrors[0]).as("4301 replies are rate-limited").isBetween(1, 5);
        realtime.broadcast("canary", "after", Map.of());
        canary.awaitEvent("after");
    }

    @Test
    void aWriteThatFailsIsReportedToTheListenerWithItsSocketId() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        // A peer that reads nothing stalls the writes; the container's idle timeout then fails the write in flight.
        start(newTransport(Duration.ofSeconds(1)), b -> b.limits(Limits.builder().outboundQueueFrames(100_000).build())
                .listener(new RealtimeListener() {
                    @Override
                    public void error(Throwable error) {
                        errors.add(error);
                    }
                }));
        RawWebSocket stalled = raw(4096);
        String id = socketIdOf(stalled.readText());
        stalled.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"wire\"}}");
        assertThat(stalled.readText()).contains("subscription_succeeded");
        String payload = "w".repeat(8000);
        for (int i = 0; i < 500; i++) {
            realtime.broadcast("wire", "tick", tick(i, payload)); // far more than the socket buffers hold
        }
        long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
        while (errors.stream().noneMatch(e -> e instanceof ConnectionFailedException f && f.socketId().equals(id))) {
            assertThat(System.nanoTime()).as("a ConnectionFailedException for " + id + "; got " + errors).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(errors.stream().filter(e -> e instanceof ConnectionFailedException).findFirst().orElseThrow().getCause())
                .isNotNull();
    }

    @Test
    void invalidUtf8IsClosedWith1007AndOthersAreStillServed() throws Exception {
        start(b -> { });
        WsClient canary = client();
        canary.awaitEstablished();
        canary.subscribe("canary");
        RawWebSocket r = raw(0);
        r.readText();
        byte[] json = "{\"event\":\"client-x\",\"channel\":\"private-a\",\"data\":\"\u0000\"}".getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[json.length + 2];
        System.arraycopy(json, 0, bad, 0, json.length);
        bad[json.length] = (byte) 0xC3; // a lead byte followed by a byte that is not a continuation
        bad[json.length + 1] = (byte) 0x28;
        r.sendFrame(RawWebSocket.TEXT, bad);
        int code;
        try {
            code = r.readUntilClose();
        } catch (java.io.EOFException e) {
            assertThat(containerMayDropInvalidUtf8WithoutACloseFrame()).as("ended without a close frame").isTrue();
            code = 1007;
        }
        assertThat(code).isEqualTo(1007);
        realtime.broadcast("canary", "after", Map.of());
        canary.awaitEvent("after");
    }

    @Test
    void theMessageLimitCountsBytesNotCharacters() throws Exception {
        start(b -> { });
        WsClient canary = client();
        canary.awaitEstablished();
        canary.subscribe("canary");
        RawWebSocket r = raw(0);
        r.readText();
        // 60 000 characters of 3 bytes each: 180 KB on the wire, under the 64 KB limit only if counted in characters.
        String text = "{\"event\":\"pusher:ping\",\"data\":\"" + "\u20ac".repeat(60_000) + "\"}";
        assertThat(text.length()).isLessThan(Limits.DEFAULT_MAX_MESSAGE_BYTES);
        Thread sender = new Thread(() -> {
            try {
                r.sendText(text);
            } catch (java.io.IOException e) {
                // the server may close before the whole frame is written: the close code below is what counts
            }
        });
        sender.start();
        assertThat(r.readUntilClose()).isEqualTo(1009);
        sender.join();
        realtime.broadcast("canary", "after", Map.of());
        canary.awaitEvent("after");
    }

    @Test
    void writesCoalesceWhileAWriteIsInFlight() throws Exception {
        start(b -> b.limits(Limits.builder().outboundQueueFrames(100_000).build()));
        RawWebSocket reader = raw(4096);
        reader.readText();
        reader.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"load\"}}");
        assertThat(reader.readText()).contains("subscription_succeeded");
        OutboundStats stats = stats(transport);
        long writesBefore = stats.writes();
        long framesBefore = stats.frames();

        // More than the socket buffers hold, sent while the client is not reading: writes stall and frames pile up.
        int count = 1500;
        String payload = "z".repeat(8000);
        for (int i = 0; i < count; i++) {
            realtime.broadcast("load", "tick", tick(i, payload));
        }
        for (int i = 0; i < count; i++) {
            assertThat(reader.readText()).contains("\\\"n\\\":" + i + ",");
        }
        long frames = stats.frames() - framesBefore;
        long writes = stats.writes() - writesBefore;
        assertThat(frames).isEqualTo(count);
        assertThat(writes).isLessThan(frames);
    }

    @Test
    void anIdleConnectionGetsASingleFrameInItsOwnWriteAtOnce() throws Exception {
        start(b -> { });
        WsClient c = client();
        c.awaitEstablished();
        c.subscribe("quiet");
        OutboundStats stats = stats(transport);
        long writesBefore = stats.writes();
        long framesBefore = stats.frames();

        realtime.broadcast("quiet", "only.one", Map.of());
        c.awaitEvent("only.one");
        assertThat(stats.frames() - framesBefore).isEqualTo(1);
        assertThat(stats.writes() - writesBefore).isEqualTo(1);
    }

    @Test
    void pingFramesKeepAnAnsweringClientConnected() throws Exception {
        start(b -> b.activityTimeout(Duration.ofSeconds(1)).pongTimeout(Duration.ofSeconds(1)));
        WsClient c = client();
        c.awaitEstablished();
        c.subscribe("alive");
        // The JDK client answers each ping with a pong; without pong = activity it would be closed 4201 after the first.
        c.awaitPings(3);
        realtime.broadcast("alive", "still", Map.of());
        c.awaitEvent("still");
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void aClientThatNeverAnswersPingsIsClosedWith4201() throws Exception {
        start(b -> b.activityTimeout(Duration.ofSeconds(1)).pongTimeout(Duration.ofSeconds(1)));
        RawWebSocket mute = raw(0);
        mute.readText();
        assertThat(mute.readUntilClose()).isEqualTo(4201);
        assertThat(mute.pingsSeen).isGreaterThanOrEqualTo(1);
    }

    @Test
    void originsOutsideTheAllowListAreRefused() throws Exception {
        start(newTransport("https://good.example"), b -> { });
        WsClient good = WsClient.connect(uri("/app/" + KEY + "?protocol=7"), "https://good.example");
        clients.add(good);
        good.awaitEstablished();
        assertThatThrownBy(() -> WsClient.connect(uri("/app/" + KEY + "?protocol=7"), "https://evil.example"))
                .isInstanceOf(CompletionException.class);
    }

    /** Reads texts until one contains {@code marker}, counting 4301 errors; fails on a close. */
    static void readUntil(RawWebSocket r, String marker, int[] floodErrors) throws java.io.IOException {
        while (true) {
            RawWebSocket.Frame f = r.read();
            assertThat(f.opcode()).as("not closed (close code " + f.closeCode() + ")").isNotEqualTo(RawWebSocket.CLOSE);
            if (f.opcode() != RawWebSocket.TEXT) {
                continue;
            }
            String text = f.text();
            if (text.contains("\"code\":4301")) {
                floodErrors[0]++;
            }
            if (text.contains(marker)) {
                return;
            }
        }
    }

    /** Waits for the node's listener (which runs on its own thread) to report {@code event}. */
    void awaitListenerEvent(String event) throws InterruptedException {
        long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
        while (!events.contains(event)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("listener never reported '" + event + "'; got " + events);
            }
            Thread.sleep(10);
        }
    }

    RawWebSocket raw(int receiveBuffer) throws java.io.IOException {
        RawWebSocket r = RawWebSocket.connect(port, "/app/" + KEY + "?protocol=7", receiveBuffer);
        clients.add(r);
        return r;
    }

    /** Data whose JSON starts with {@code {"n":<n>,}, so a frame can be matched by its number. */
    static Map<String, Object> tick(int n, String payload) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("n", n);
        data.put("p", payload);
        return data;
    }

    static String socketIdOf(String established) {
        int i = established.indexOf("socket_id\\\":\\\"") + "socket_id\\\":\\\"".length();
        return established.substring(i, established.indexOf("\\\"", i));
    }

    static String auth(String socketId, String channel) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("app-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return KEY + ":" + HexFormat.of().formatHex(mac.doFinal((socketId + ":" + channel).getBytes(StandardCharsets.UTF_8)));
    }
}
