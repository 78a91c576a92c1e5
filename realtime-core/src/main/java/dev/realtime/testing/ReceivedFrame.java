package dev.realtime.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.internal.Json;
import java.util.Map;

/**
 * One frame a {@link TestClient} received.
 *
 * @param event   the event name
 * @param channel the channel, or null
 * @param data    the payload as the client library would see it before parsing: a double-encoded
 *                {@code data} is unwrapped to its string, an object is its JSON text; null when absent
 * @param userId  the {@code user_id} of relayed presence client events, or null
 * @param raw     the frame exactly as received
 */
public record ReceivedFrame(String event, String channel, String data, String userId, String raw) {

    static ReceivedFrame parse(String raw) {
        JsonNode node = Json.readOrNull(raw);
        if (node == null || !node.isObject()) {
            throw new AssertionError("server sent a frame that is not a JSON object: " + raw);
        }
        JsonNode data = node.get("data");
        return new ReceivedFrame(text(node, "event"), text(node, "channel"),
                data == null ? null : data.isTextual() ? data.asText() : data.toString(), text(node, "user_id"), raw);
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** The data parsed as a JSON object. */
    public Map<String, Object> dataMap() {
        if (data == null) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(data, new TypeReference<Map<String, Object>>() { });
        } catch (Exception e) {
            throw new AssertionError("data of " + event + " is not a JSON object: " + data, e);
        }
    }

    /** The data parsed as JSON. */
    public JsonNode dataJson() {
        return data == null ? null : Json.readOrNull(data);
    }

    /** The {@code code} of a {@code pusher:error} frame, or -1. */
    public int errorCode() {
        JsonNode d = dataJson();
        return d != null && d.has("code") ? d.get("code").asInt() : -1;
    }

    /** Whether this is {@code event} on {@code channel} (a null channel matches channel-less frames). */
    public boolean is(String channel, String event) {
        return this.event != null && this.event.equals(event) && java.util.Objects.equals(this.channel, channel);
    }

    @Override
    public String toString() {
        return raw;
    }
}
