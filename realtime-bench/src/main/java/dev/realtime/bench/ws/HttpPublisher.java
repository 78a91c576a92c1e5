package dev.realtime.bench.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Publishes events through the Pusher HTTP API ({@code POST /apps/{id}/events}), signed as the SDKs sign
 * (the Socket.IO peer's adapter takes the same request and ignores the signature).
 */
public final class HttpPublisher {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final String appId;
    private final String key;
    private final Mac mac;
    private final String channel;
    /**
     * Requests in flight at most: a server that stops answering would otherwise make the client open a
     * connection per request, and the load generator would measure its own connection storm.
     */
    private static final int MAX_IN_FLIGHT = 256;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    public final LongAdder sent = new LongAdder();
    public final LongAdder failed = new LongAdder();
    /** Events not sent because {@link #MAX_IN_FLIGHT} requests were waiting for the server: a saturated HTTP API. */
    public final LongAdder skipped = new LongAdder();
    private long seq;

    public HttpPublisher(String host, int port, String appId, String key, String secret, String channel) throws Exception {
        this.base = "http://" + host + ":" + port;
        this.appId = appId;
        this.key = key;
        this.channel = channel;
        this.mac = Mac.getInstance("HmacSHA256");
        this.mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    /** Sends one event carrying the current nanoTime; asynchronous, counts successes and failures. */
    public void publish() throws Exception {
        publish(channel);
    }

    /** The same, to another channel. */
    public void publish(String channel) throws Exception {
        if (!inFlight.tryAcquire()) {
            skipped.increment();
            return;
        }
        String data = "{\\\"t\\\":" + System.nanoTime() + ",\\\"seq\\\":" + (seq++) + "}";
        String body = "{\"name\":\"tick\",\"channel\":\"" + channel + "\",\"data\":\"" + data + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        String path = "/apps/" + appId + "/events";
        String query = "auth_key=" + key + "&auth_timestamp=" + (System.currentTimeMillis() / 1000)
                + "&auth_version=1.0&body_md5=" + md5;
        String signature = HexFormat.of().formatHex(mac.doFinal(("POST\n" + path + "\n" + query).getBytes(StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path + "?" + query + "&auth_signature=" + signature))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            inFlight.release();
            if (e == null && r.statusCode() == 200) {
                sent.increment();
            } else {
                failed.increment();
            }
        });
    }
}
