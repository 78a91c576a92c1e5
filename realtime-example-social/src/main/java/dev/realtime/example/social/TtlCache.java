package dev.realtime.example.social;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A small in-process cache whose entries expire after a fixed time on the app's {@link Clock}. Enough for
 * the few keys this app caches (no new dependency); a full cache is emptied rather than evicted in order.
 */
final class TtlCache<K, V> {
    private record Entry<V>(V value, Instant expires) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;

    TtlCache(Clock clock, Duration ttl, int maxEntries) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    /** The cached value of {@code key}, loaded (and cached) when absent or expired. */
    V get(K key, Function<K, V> loader) {
        Instant now = clock.instant();
        Entry<V> entry = entries.get(key);
        if (entry != null && now.isBefore(entry.expires())) {
            return entry.value();
        }
        V value = loader.apply(key);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, now.plus(ttl)));
        return value;
    }

    void invalidate(K key) {
        entries.remove(key);
    }

    void invalidateAll() {
        entries.clear();
    }
}
