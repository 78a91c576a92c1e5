package dev.realtime.http;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may use the HTTP transports, and the CORS headers they get. With no origins
 * listed, any origin may call without credentials ({@code *}: the browser sends no cookies). With a
 * list, only those (echoed back, with credentials allowed, so an {@code EventSource} opened with
 * {@code withCredentials} sends its cookies to the authenticator). A request without an {@code Origin}
 * header (not a browser, or same-origin) always passes.
 */
final class Origins {
    private final Set<String> allowed;

    Origins(Set<String> origins) {
        this.allowed = origins.stream().map(Origins::normalise).collect(Collectors.toUnmodifiableSet());
    }

    boolean allows(String origin) {
        return origin == null || allowed.isEmpty() || allowed.contains(normalise(origin));
    }

    /** Adds the CORS headers of an allowed request's answer. */
    void addHeaders(HttpExchange exchange) {
        String origin = exchange.header("Origin");
        if (origin == null) {
            return;
        }
        if (allowed.isEmpty()) {
            exchange.setHeader("Access-Control-Allow-Origin", "*");
        } else {
            exchange.setHeader("Access-Control-Allow-Origin", origin);
            exchange.setHeader("Access-Control-Allow-Credentials", "true");
            exchange.setHeader("Vary", "Origin");
        }
    }

    /** Answers a CORS preflight ({@code OPTIONS}) of an allowed origin. */
    void preflight(HttpExchange exchange) {
        addHeaders(exchange);
        exchange.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        String asked = exchange.header("Access-Control-Request-Headers");
        exchange.setHeader("Access-Control-Allow-Headers", asked != null ? asked : "Content-Type, X-Realtime-Secret");
        exchange.setHeader("Access-Control-Max-Age", "86400");
        exchange.status(204);
        exchange.end();
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
