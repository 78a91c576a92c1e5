package dev.realtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message between nodes, and its wire form (the one codec for it): a JSON object
 * {@code {"v":1,"origin":node,"kind":…, …fields}}. Version 1 kinds: {@code event} (fields
 * {@code channel}, {@code except}?, {@code frame}) and {@code user} ({@code user}, {@code frame}); the
 * cluster adds presence and heartbeat kinds with their own fields. A reader ignores fields it does
 * not know and refuses versions it does not speak, so nodes of adjacent versions can share a broker.
 *
 * @param version the envelope format version
 * @param origin  the node that published it
 * @param kind    what it carries
 * @param fields  the kind's string fields, in order
 */
record Envelope(int version, String origin, String kind, Map<String, String> fields) {
    static final int VERSION = 1;
    static final String EVENT = "event";
    static final String USER = "user";

    /** An event for a channel's subscribers, except one socket (may be null). */
    static Envelope event(String origin, String channel, String exceptSocketId, String frame) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("channel", channel);
        if (exceptSocketId != null) {
            f.put("except", exceptSocketId);
        }
        f.put("frame", frame);
        return new Envelope(VERSION, origin, EVENT, f);
    }

    /** An event for every connection of a user. */
    static Envelope user(String origin, String userId, String frame) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("user", userId);
        f.put("frame", frame);
        return new Envelope(VERSION, origin, USER, f);
    }

    /** A field's value, or null. */
    String field(String name) {
        return fields.get(name);
    }

    /** The wire form. */
    byte[] encode() {
        int size = 64;
        for (String v : fields.values()) {
            size += v.length() + 16;
        }
        StringBuilder sb = new StringBuilder(size).append("{\"v\":").append(version).append(",\"origin\":");
        Json.quote(sb, origin).append(",\"kind\":");
        Json.quote(sb, kind);
        for (Map.Entry<String, String> e : fields.entrySet()) {
            sb.append(',');
            Json.quote(sb, e.getKey()).append(':');
            Json.quote(sb, e.getValue());
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads an envelope; null when it is not one this node can read (not JSON, no origin or kind, or a
     * version other than {@value #VERSION}). Only string fields are kept.
     */
    static Envelope decode(byte[] bytes) {
        JsonNode node = Json.readOrNull(new String(bytes, StandardCharsets.UTF_8));
        if (node == null || !node.isObject() || node.path("v").asInt() != VERSION
                || !node.path("origin").isTextual() || !node.path("kind").isTextual()) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String key = e.getKey();
            if (!key.equals("v") && !key.equals("origin") && !key.equals("kind") && e.getValue().isTextual()) {
                fields.put(key, e.getValue().asText());
            }
        }
        return new Envelope(VERSION, node.get("origin").asText(), node.get("kind").asText(), fields);
    }
}
