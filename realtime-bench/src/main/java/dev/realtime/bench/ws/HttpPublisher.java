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
public final class HttpPublisher implements AutoCloseable {
    private final String hostHeader;
    private final String appId;
    private final String key;
    private final Mac mac;
    private final String channel;
    /** Responses due at most: past that the server's HTTP API is backlogged and the event is not sent. */
    private static final int MAX_IN_FLIGHT = 256;
    private final PipelinedHttp http;
    /** For a server that closes after every response (Soketi): a connection per request, as any client gets there. */
    private HttpClient perRequest;
    private final Semaphore perRequestInFlight = new Semaphore(MAX_IN_FLIGHT);
    private final MessageDigest md5;
    public final LongAdder sent = new LongAdder();
    public final LongAdder failed = new LongAdder();
    /** Events not sent because {@link #MAX_IN_FLIGHT} requests were waiting for the server: a saturated HTTP API. */
    public final LongAdder skipped = new LongAdder();
    private long seq;

    public HttpPublisher(String host, int port, String appId, String key, String secret, String channel) throws Exception {
        this.hostHeader = host + ":" + port;
        this.appId = appId;
        this.key = key;
        this.channel = channel;
        this.mac = Mac.getInstance("HmacSHA256");
        this.mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        this.md5 = MessageDigest.getInstance("MD5");
        this.http = new PipelinedHttp(host, port, MAX_IN_FLIGHT, sent, failed);
    }

    /** Sends one event carrying the current nanoTime; asynchronous, counts successes and failures. */
    public void publish() throws Exception {
        publish(channel);
    }

    /** The same, to another channel. */
    public void publish(String channel) throws Exception {
        String data = "{\\\"t\\\":" + System.nanoTime() + ",\\\"seq\\\":" + (seq++) + "}";
        String body = "{\"name\":\"tick\",\"channel\":\"" + channel + "\",\"data\":\"" + data + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String bodyMd5 = HexFormat.of().formatHex(md5.digest(bytes));
        String path = "/apps/" + appId + "/events";
        String query = "auth_key=" + key + "&auth_timestamp=" + (System.currentTimeMillis() / 1000)
                + "&auth_version=1.0&body_md5=" + bodyMd5;
        String signature = HexFormat.of().formatHex(mac.doFinal(("POST\n" + path + "\n" + query).getBytes(StandardCharsets.UTF_8)));
        if (http.serverCloses) {
            publishPerRequest(path + "?" + query + "&auth_signature=" + signature, bytes);
            return;
        }
        byte[] head = ("POST " + path + "?" + query + "&auth_signature=" + signature + " HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + bytes.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(bytes, 0, request, head.length, bytes.length);
        if (!http.send(request)) {
            skipped.increment();
        }
    }

    private void publishPerRequest(String pathAndQuery, byte[] body) {
        if (!perRequestInFlight.tryAcquire()) {
            skipped.increment();
            return;
        }
        if (perRequest == null) {
            perRequest = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostHeader + pathAndQuery))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        perRequest.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            perRequestInFlight.release();
            (e == null && r.statusCode() == 200 ? sent : failed).increment();
        });
    }

    @Override
    public void close() {
        http.close();
    }
}
