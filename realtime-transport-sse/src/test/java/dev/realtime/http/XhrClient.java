package dev.realtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pusher-js HTTP socket done by hand, as {@code http_socket.ts} does it: a session path of its own,
 * {@code xhr_streaming} (reopened once more than 256 KB were read) or {@code xhr} polls in a loop,
 * frames up through {@code xhr_send}. Collects the frames that arrive; {@link #stop()} makes it vanish
 * (no more requests, nothing said).
 */
public final class XhrClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BUFFER = 256 * 1024;

    private final int port;
    private final String base;
    private final String mode;
    private final String from;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final List<String> chunks = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private volatile boolean stopped;
    private volatile RawHttp.Stream current;
    private final Thread loop;

    private XhrClient(int port, String appKey, String mode, String from) {
        this.port = port;
        this.mode = mode;
        this.from = from;
        this.base = "/pusher/app/" + appKey + "/" + ThreadLocalRandom.current().nextInt(1000) + "/" + randomString(8);
        this.loop = new Thread(this::run, "xhr-client-" + mode);
        loop.setDaemon(true);
        loop.start();
    }

    /** A client over {@code xhr_streaming}. */
    public static XhrClient streaming(int port, String appKey) {
        return new XhrClient(port, appKey, "xhr_streaming", null);
    }

    /** A client over {@code xhr} polls. */
    public static XhrClient polling(int port, String appKey) {
        return new XhrClient(port, appKey, "xhr", null);
    }

    /** The session path ({@code /pusher/app/KEY/123/abcdefgh}). */
    public String sessionPath() {
        return base;
    }

    private String url(String suffix) {
        return base + "/" + suffix + "?protocol=7&client=js&version=8.6.0&flash=false&t=" + System.currentTimeMillis()
                + "&n=" + requests.incrementAndGet();
    }

    private void run() {
        try {
            while (!stopped) {
                if (mode.equals("xhr_streaming")) {
                    stream();
                } else {
                    poll();
                }
            }
        } catch (IOException | InterruptedException e) {
            if (!stopped) {
                chunks.add("! " + e);
            }
        }
    }

    private void stream() throws IOException, InterruptedException {
        streams.incrementAndGet();
        try (RawHttp.Stream s = RawHttp.open(from, port, "POST", url(mode), Map.of("Content-Type", "application/json"))) {
            current = s;
            if (s.status() != 200) {
                chunks.add("status " + s.status());
                stopped = true;
                return;
            }
            while (!stopped) {
                String line = s.nextLine(200);
                if (line != null) {
                    chunk(line);
                    if (line.startsWith("c")) {
                        stopped = true;
                        return;
                    }
                }
                if (s.bufferTooLong(MAX_BUFFER)) {
                    return; // reopen, as pusher-js does on 'buffer_too_long'
                }
                if (line == null && s.ended()) {
                    chunks.add("! stream ended");
                    stopped = true;
                    return;
                }
            }
        }
    }

    private void poll() throws IOException {
        RawHttp.Answer a = RawHttp.request(from, port, "POST", url(mode), Map.of("Content-Type", "application/json"), "");
        if (a.status() != 200) {
            chunks.add("status " + a.status());
            stopped = true;
            return;
        }
        for (String line : a.body().split("\n")) {
            if (!line.isEmpty()) {
                chunk(line);
                if (line.startsWith("c")) {
                    stopped = true;
                }
            }
        }
    }

    private void chunk(String line) throws IOException {
        chunks.add(line.length() > 200 ? line.substring(0, 200) + "…" : line);
        if (line.startsWith("a")) {
            for (JsonNode f : JSON.readTree(line.substring(1))) {
                frames.add(JSON.readTree(f.asText()));
            }
        }
    }

    /** Sends frames through xhr_send as pusher-js does ({@code JSON.stringify([frame])}); the status. */
    public int send(String... frameJson) throws IOException {
        return RawHttp.request(from, port, "POST", url("xhr_send"), Map.of("Content-Type", "application/json"),
                JSON.writeValueAsString(List.of(frameJson))).status();
    }

    /** Subscribes with an auth string (and channel data), as pusher-js sends it. */
    public int subscribe(String channel, String auth, String channelData) throws IOException {
        Map<String, Object> data = channelData == null ? Map.of("channel", channel, "auth", auth)
                : Map.of("channel", channel, "auth", auth, "channel_data", channelData);
        return send(JSON.writeValueAsString(Map.of("event", "pusher:subscribe", "data", data)));
    }

    /** The next frame with {@code event} (and {@code channel} when not null), failing with what came instead. */
    public JsonNode await(String event, String channel, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        List<String> seen = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            JsonNode f = frames.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            if (f == null) {
                break;
            }
            if (f.path("event").asText().equals(event) && (channel == null || f.path("channel").asText().equals(channel))) {
                return f;
            }
            seen.add(f.toString().length() > 200 ? f.toString().substring(0, 200) : f.toString());
        }
        throw new AssertionError("no " + event + (channel == null ? "" : " on " + channel) + " within " + millis
                + " ms; frames: " + seen + "; chunks: " + lastChunks());
    }

    /** The socket id from connection_established. */
    public String awaitSocketId(long millis) throws Exception {
        JsonNode established = await("pusher:connection_established", null, millis);
        return JSON.readTree(established.get("data").asText()).get("socket_id").asText();
    }

    /** Frames received and not awaited yet. */
    public BlockingQueue<JsonNode> frames() {
        return frames;
    }

    /** The chunks received (shortened), for failure messages. */
    public List<String> chunks() {
        synchronized (chunks) {
            return List.copyOf(chunks);
        }
    }

    private String lastChunks() {
        List<String> all = chunks();
        return all.subList(Math.max(0, all.size() - 20), all.size()).toString();
    }

    /** How many streams were opened (reopens included). */
    public int streamsOpened() {
        return streams.get();
    }

    /** Vanishes: no more requests, the open stream or poll dropped without a word. */
    public void stop() throws InterruptedException {
        stopped = true;
        RawHttp.Stream s = current;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // gone either way
            }
        }
        loop.join(10_000);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static String randomString(int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(Integer.toString(ThreadLocalRandom.current().nextInt(32), 32));
        }
        return s.toString();
    }
}
