package dev.realtime.websocket;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a connection. Empty = every origin. A request without an
 * {@code Origin} header is always let through: only browsers send one, and other clients
 * (pusher-java-client, server-side SDKs) can forge it anyway, so refusing them protects nothing.
 */
final class OriginPolicy {
    private final Set<String> allowed;

    OriginPolicy(Set<String> origins) {
        this.allowed = origins.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    boolean allows(String origin) {
        return allowed.isEmpty() || origin == null || allowed.contains(normalise(origin));
    }

    static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    @Override
    public String toString() {
        return allowed.isEmpty() ? "any origin" : allowed.toString();
    }
}
