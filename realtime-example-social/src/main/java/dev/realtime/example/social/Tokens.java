package dev.realtime.example.social;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * API tokens: 32 random bytes given to the client once, stored as their SHA-256, so every app instance
 * on the same database accepts them. A resolved token is cached for a minute (permissions included).
 */
@Service
class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Users users;
    private final Clock clock;
    private final TtlCache<String, Optional<Viewer>> resolved;

    Tokens(Users users, Clock clock) {
        this.users = users;
        this.clock = clock;
        this.resolved = new TtlCache<>(clock, Duration.ofMinutes(1), 50_000);
    }

    /** A new token for {@code userId}. */
    String issue(long userId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        users.saveToken(hash(token), userId, clock.instant());
        return token;
    }

    /** The user holding {@code token}; empty for null or an unknown token. */
    Optional<Viewer> resolve(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        return resolved.get(hash(token), users::byTokenHash);
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
