package dev.realtime;

import dev.realtime.internal.Signer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The query authentication of the Pusher HTTP API (PROTOCOL.md §7): {@code auth_key},
 * {@code auth_timestamp} within the allowed skew, {@code auth_version=1.0}, and {@code auth_signature} =
 * hex HMAC-SHA256(secret, METHOD\nPATH\nQUERY), checked from the query alone; then {@code body_md5}
 * of a non-empty body, once it is read. The server checks requests with it; a backend's own code can
 * sign requests with {@link #signedQuery} (or check requests signed by another Pusher SDK).
 * Thread-safe.
 *
 * <pre>{@code
 * HttpApiSignature signature = new HttpApiSignature(new AppCredentials("app-id", "key", "secret"));
 * Map<String, String> query = signature.signedQuery("POST", "/apps/app-id/events", Map.of(), body);
 * }</pre>
 */
public final class HttpApiSignature {
    /** How far {@code auth_timestamp} may be from the server's clock, in seconds. */
    public static final long DEFAULT_MAX_CLOCK_SKEW_SECONDS = 600;

    private final String appKey;
    private final Signer signer;
    private final LongSupplier nowSeconds;
    private final long maxSkewSeconds;

    /** Checks and signs for {@code app} against the system clock, allowing {@value #DEFAULT_MAX_CLOCK_SKEW_SECONDS} s of skew. */
    public HttpApiSignature(AppCredentials app) {
        this(app, () -> System.currentTimeMillis() / 1000, DEFAULT_MAX_CLOCK_SKEW_SECONDS);
    }

    /** Checks and signs for {@code app} against {@code nowSeconds} (epoch seconds), allowing {@code maxSkewSeconds}. */
    public HttpApiSignature(AppCredentials app, LongSupplier nowSeconds, long maxSkewSeconds) {
        this.appKey = app.key();
        this.signer = new Signer(app.secret());
        this.nowSeconds = nowSeconds;
        this.maxSkewSeconds = maxSkewSeconds;
    }

    /**
     * Why the request's query does not authenticate it, or null when it does: key, timestamp, version and
     * signature over METHOD\nPATH\nQUERY. Needs nothing from the body ({@code body_md5} is part of the
     * signed query), so a request can be refused before a byte of its body is read; check the body
     * afterwards with {@link #bodyProblem}.
     *
     * @param params the decoded query parameters, first value of each
     */
    public String problem(String method, String path, Map<String, String> params) {
        String key = params.get("auth_key");
        if (key == null) {
            return "auth_key is missing";
        }
        if (!MessageDigest.isEqual(appKey.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
            return "auth_key '" + key + "' is not this app's key";
        }
        String timestamp = params.get("auth_timestamp");
        if (timestamp == null) {
            return "auth_timestamp is missing";
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "auth_timestamp '" + timestamp + "' is not a number of seconds";
        }
        long skew = Math.abs(nowSeconds.getAsLong() - ts);
        if (skew > maxSkewSeconds) {
            return "auth_timestamp is " + skew + " s away from the server's clock (at most " + maxSkewSeconds
                    + " s allowed): check the clock of the publishing server";
        }
        if (!"1.0".equals(params.get("auth_version"))) {
            return "auth_version must be 1.0, got " + params.get("auth_version");
        }
        String signature = params.get("auth_signature");
        if (signature == null) {
            return "auth_signature is missing";
        }
        if (!signer.verify(stringToSign(method, path, params), signature)) {
            return "auth_signature does not match: sign METHOD\\nPATH\\nQUERY with the app secret";
        }
        return null;
    }

    /**
     * Why {@code body} does not match the signed query's {@code body_md5}, or null when it does (an
     * empty body needs none). Call it once {@link #problem} accepted the query.
     */
    public static String bodyProblem(Map<String, String> params, byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        String md5 = params.get("body_md5");
        if (md5 == null) {
            return "body_md5 is missing for a request with a body";
        }
        if (!md5Hex(body).equalsIgnoreCase(md5)) {
            return "body_md5 does not match the body";
        }
        return null;
    }

    /** The hex HMAC-SHA256 {@code auth_signature} of a request with these query parameters. */
    public String sign(String method, String path, Map<String, String> params) {
        return signer.sign(stringToSign(method, path, params));
    }

    /**
     * The query parameters of a signed request, as a Pusher server SDK sends them: {@code params} plus
     * {@code auth_key}, {@code auth_timestamp} (now), {@code auth_version}, {@code body_md5} (for a
     * non-empty body) and {@code auth_signature}. URL-encode the values when building the URL.
     */
    public Map<String, String> signedQuery(String method, String path, Map<String, String> params, byte[] body) {
        Map<String, String> query = new java.util.LinkedHashMap<>(params);
        query.put("auth_key", appKey);
        query.put("auth_timestamp", Long.toString(nowSeconds.getAsLong()));
        query.put("auth_version", "1.0");
        if (body != null && body.length > 0) {
            query.put("body_md5", md5Hex(body));
        }
        query.put("auth_signature", sign(method, path, query));
        return query;
    }

    /** Lower-case hex MD5 of {@code body} ({@code body_md5}). */
    public static String md5Hex(byte[] body) {
        return Signer.md5Hex(body);
    }

    /**
     * {@code METHOD\nPATH\nk=v&k=v}: every parameter except {@code auth_signature}, keys lower-cased and
     * sorted, values as decoded (not URL-encoded).
     */
    public static String stringToSign(String method, String path, Map<String, String> params) {
        TreeMap<String, String> sorted = new TreeMap<>();
        params.forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT);
            if (!key.equals("auth_signature")) {
                sorted.putIfAbsent(key, v == null ? "" : v);
            }
        });
        StringBuilder sb = new StringBuilder(method.toUpperCase(Locale.ROOT)).append('\n').append(path).append('\n');
        boolean first = true;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (!first) {
                sb.append('&');
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
            first = false;
        }
        return sb.toString();
    }
}
