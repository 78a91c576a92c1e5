package dev.realtime.server;

import dev.realtime.AppCredentials;
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
 * of a non-empty body, once it is read.
 */
final class HttpApiSignature {
    /** How far {@code auth_timestamp} may be from the server's clock, in seconds. */
    static final long DEFAULT_MAX_CLOCK_SKEW_SECONDS = 600;

    private final String appKey;
    private final Signer signer;
    private final LongSupplier nowSeconds;
    private final long maxSkewSeconds;

    HttpApiSignature(AppCredentials app, LongSupplier nowSeconds, long maxSkewSeconds) {
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
    String problem(String method, String path, Map<String, String> params) {
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
    static String bodyProblem(Map<String, String> params, byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        String md5 = params.get("body_md5");
        if (md5 == null) {
            return "body_md5 is missing for a request with a body";
        }
        if (!Signer.md5Hex(body).equalsIgnoreCase(md5)) {
            return "body_md5 does not match the body";
        }
        return null;
    }

    /** hex HMAC-SHA256 of the string to sign; for clients and tests. */
    String sign(String method, String path, Map<String, String> params) {
        return signer.sign(stringToSign(method, path, params));
    }

    /**
     * {@code METHOD\nPATH\nk=v&k=v}: every parameter except {@code auth_signature}, keys lower-cased and
     * sorted, values as decoded (not URL-encoded).
     */
    static String stringToSign(String method, String path, Map<String, String> params) {
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
