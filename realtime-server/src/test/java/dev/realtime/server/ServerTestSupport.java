package dev.realtime.server;

import dev.realtime.Realtime;
import dev.realtime.RealtimeBuilder;
import dev.realtime.testing.InMemoryTransport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A server on a random port (WebSocket mounted) over a node whose test clients are in memory, and an HTTP client that signs
 * HTTP API requests the way Pusher's SDKs do (written here independently of the server's code).
 */
final class ServerTestSupport implements AutoCloseable {
    static final String APP_ID = "app-1";
    static final String KEY = "test-key";
    static final String SECRET = "test-secret";

    final InMemoryTransport memory = new InMemoryTransport();
    final Realtime realtime;
    final RealtimeServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final String appId;
    final String key;
    final String secret;
    LongSupplier clock = () -> System.currentTimeMillis() / 1000;

    ServerTestSupport() {
        this(b -> { });
    }

    ServerTestSupport(Consumer<RealtimeBuilder> configure) {
        this(APP_ID, KEY, SECRET, configure, null, s -> { });
    }

    ServerTestSupport(Consumer<RealtimeBuilder> configure, Consumer<RealtimeServer.Builder> server) {
        this(APP_ID, KEY, SECRET, configure, null, server);
    }

    ServerTestSupport(String appId, String key, String secret, Consumer<RealtimeBuilder> configure, LongSupplier serverClock) {
        this(appId, key, secret, configure, serverClock, s -> { });
    }

    ServerTestSupport(String appId, String key, String secret, Consumer<RealtimeBuilder> configure, LongSupplier serverClock,
                      Consumer<RealtimeServer.Builder> server) {
        this.appId = appId;
        this.key = key;
        this.secret = secret;
        RealtimeBuilder builder = Realtime.builder().app(appId, key, secret).transport(memory);
        configure.accept(builder);
        this.realtime = builder.build();
        RealtimeServer.Builder sb = RealtimeServer.on(realtime).host("127.0.0.1").port(0).websocket()
                .stopTimeout(Duration.ZERO); // graceful stop waits ~1 s for idle keep-alive connections
        if (serverClock != null) {
            sb.clock(serverClock);
        }
        server.accept(sb);
        this.server = sb.start();
    }

    /** A signed HTTP API request: auth params added, body_md5 when the body is non-empty. */
    HttpResponse<String> api(String method, String path, Map<String, String> query, String body) throws Exception {
        return send(method, path, signed(method, path, query, body), body);
    }

    /** {@code query} with the auth params of a request with {@code body} added and signed. */
    Map<String, String> signed(String method, String path, Map<String, String> query, String body) throws Exception {
        Map<String, String> params = new LinkedHashMap<>(query);
        params.put("auth_key", key);
        params.put("auth_timestamp", Long.toString(clock.getAsLong()));
        params.put("auth_version", "1.0");
        if (body != null && !body.isEmpty()) {
            params.put("body_md5", md5(body));
        }
        params.put("auth_signature", sign(secret, method, path, params));
        return params;
    }

    /** {@code ?k=v&…}, URL-encoded. */
    static String query(Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(enc(k)).append('=').append(enc(v)));
        return q.toString();
    }

    /** A request with exactly these query params (no signing). */
    HttpResponse<String> send(String method, String path, Map<String, String> params, String body) throws Exception {
        String q = query(params);
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(server.url() + path + q))
                .header("Content-Type", "application/json");
        rb.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a form to an auth endpoint with extra headers (name, value, …). */
    HttpResponse<String> postForm(String path, String form, String... headers) throws Exception {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            rb.headers(headers);
        }
        return http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String sign(String secret, String method, String path, Map<String, String> params) throws Exception {
        TreeMap<String, String> sorted = new TreeMap<>();
        params.forEach((k, v) -> {
            if (!k.equals("auth_signature")) {
                sorted.put(k.toLowerCase(), v);
            }
        });
        StringBuilder q = new StringBuilder();
        sorted.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=').append(v));
        return hmac(secret, method + "\n" + path + "\n" + q);
    }

    static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return hex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String md5(String body) throws Exception {
        return hex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
        realtime.close();
    }
}
