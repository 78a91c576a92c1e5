package dev.realtime.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Lower-case hex HMAC-SHA256 keyed with the app secret (PROTOCOL.md §3, §7), checked in constant time. */
public final class Signer {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final ThreadLocal<Mac> mac;

    public Signer(String secret) {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    /** hex(HMAC-SHA256(secret, text)). */
    public String sign(String text) {
        return hex(mac.get().doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code signature} is the signature of {@code text}, compared in constant time. */
    public boolean verify(String text, String signature) {
        if (signature == null) {
            return false;
        }
        byte[] expected = sign(text).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
    }

    /** Checks an auth string {@code <key>:<hex signature>} against {@code text}; the key part must be ours. */
    public boolean verifyAuth(String appKey, String auth, String text) {
        if (auth == null) {
            return false;
        }
        int colon = auth.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        boolean keyOk = MessageDigest.isEqual(appKey.getBytes(StandardCharsets.UTF_8),
                auth.substring(0, colon).getBytes(StandardCharsets.UTF_8));
        boolean signatureOk = verify(text, auth.substring(colon + 1));
        return keyOk & signatureOk;
    }

    /** Lower-case hex of {@code bytes}. */
    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /** hex(MD5(bytes)), for the HTTP API's body_md5. */
    public static String md5Hex(byte[] bytes) {
        try {
            return hex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
