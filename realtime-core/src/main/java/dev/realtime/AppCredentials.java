package dev.realtime;

import java.util.Objects;

/**
 * The Pusher-style credentials of the app: the key is public, the secret signs auth and HTTP API calls.
 *
 * @param id     the app id (HTTP API path {@code /apps/{id}})
 * @param key    the public key clients connect with ({@code /app/{key}})
 * @param secret the secret; never sent to clients
 */
public record AppCredentials(String id, String key, String secret) {
    public AppCredentials {
        require("app id", id);
        require("app key", key);
        require("app secret", secret);
        if (key.contains(":")) {
            throw new IllegalArgumentException("app key must not contain ':' (it separates key and signature in auth strings)");
        }
    }

    private static void require(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank: set it with Realtime.builder().app(id, key, secret)");
        }
    }

    @Override
    public String toString() {
        return "AppCredentials[id=" + id + ", key=" + key + ", secret=***]";
    }
}
