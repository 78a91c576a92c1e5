package dev.realtime.bench.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A few WebSocket members of one presence channel (JDK client), each signed as a backend would
 * sign it; records when {@code member_added} and {@code member_removed} arrive, for convergence
 * times. Not for load: one JDK WebSocket per member.
 */
final class PresenceClients implements AutoCloseable {
    private static final Pattern SOCKET_ID = Pattern.compile("socket_id\\\\\"\\s*:\\s*\\\\\"([0-9.]+)");
    private final HttpClient http = HttpClient.newHttpClient();
    private final String key;
    private final String secret;
    private final String channel;
    private final List<WebSocket> sockets = new ArrayList<>();
    final AtomicInteger subscribed = new AtomicInteger();
    /** nanoTime of each member_added / member_removed any of these clients received. */
    final ConcurrentLinkedQueue<Long> added = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> removed = new ConcurrentLinkedQueue<>();

    PresenceClients(String key, String secret, String channel) {
        this.key = key;
        this.secret = secret;
        this.channel = channel;
    }

    /** Connects user {@code userId} to the node on {@code port} and subscribes it to the presence channel. */
    void join(int port, String userId) throws Exception {
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/app/" + key + "?protocol=7&client=bench&version=1.0"),
                        new Listener(userId)).get(10, TimeUnit.SECONDS);
        synchronized (sockets) {
            sockets.add(ws);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final String userId;
        private final StringBuilder text = new StringBuilder();

        Listener(String userId) {
            this.userId = userId;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                onFrame(ws, frame);
            }
            ws.request(1);
            return null;
        }

        private void onFrame(WebSocket ws, String frame) {
            if (frame.contains("pusher_internal:member_removed")) {
                removed.add(System.nanoTime());
            } else if (frame.contains("pusher_internal:member_added")) {
                added.add(System.nanoTime());
            } else if (frame.contains("pusher_internal:subscription_succeeded")) {
                subscribed.incrementAndGet();
            } else if (frame.contains("pusher:connection_established")) {
                Matcher m = SOCKET_ID.matcher(frame);
                if (m.find()) {
                    subscribe(ws, m.group(1));
                }
            } else if (frame.contains("pusher:ping")) {
                ws.sendText("{\"event\":\"pusher:pong\",\"data\":{}}", true);
            }
        }

        private void subscribe(WebSocket ws, String socketId) {
            String channelData = "{\"user_id\":\"" + userId + "\",\"user_info\":{}}";
            String auth = key + ":" + sign(socketId + ":" + channel + ":" + channelData);
            String escaped = channelData.replace("\"", "\\\"");
            ws.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":\"" + auth
                    + "\",\"channel_data\":\"" + escaped + "\"}}", true);
        }
    }

    private String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (sockets) {
            for (WebSocket ws : sockets) {
                ws.abort();
            }
            sockets.clear();
        }
    }
}
