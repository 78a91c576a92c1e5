package dev.realtime.spring;

import dev.realtime.RealtimeBuilder;

/**
 * Changes the {@link RealtimeBuilder} the starter configured from {@code realtime.*} properties, just
 * before it builds the node (in {@code @Order} order): anything the properties don't cover.
 */
@FunctionalInterface
public interface RealtimeBuilderCustomizer {
    /** Adjusts {@code builder}; runs once, on the thread creating the application context. */
    void customize(RealtimeBuilder builder);
}
