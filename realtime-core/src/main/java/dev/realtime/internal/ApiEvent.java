package dev.realtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.ChannelType;
import dev.realtime.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * One event of an HTTP API publish, validated before anything is sent, so that a bad batch sends
 * nothing. {@code data} is kept as the exact string received (PROTOCOL.md §0).
 */
public record ApiEvent(String name, List<String> channels, String data, String socketId, ChannelAttributes info) {

    /**
     * Parses and validates one event object: {@code name}, {@code data}, {@code channels} (or
     * {@code channel}; a batch item names exactly one), {@code socket_id}, {@code info}.
     *
     * @param where prefix of error messages, e.g. {@code "batch[2]: "}
     */
    public static ApiEvent parse(JsonNode node, boolean batchItem, Limits limits, String where) {
        if (node == null || !node.isObject()) {
            throw new ApiError(400, where + "an event must be a JSON object");
        }
        String name = text(node, "name", where);
        if (name == null) {
            throw new ApiError(400, where + "name is missing");
        }
        String problem = limits.eventNameProblem(name);
        if (problem == null && (name.startsWith("pusher:") || name.startsWith("pusher_internal:"))) {
            problem = "event names starting with pusher: or pusher_internal: are reserved";
        }
        if (problem != null) {
            throw new ApiError(400, where + problem);
        }
        String data = data(node.get("data"), where);
        if (limits.exceedsPayload(data)) {
            throw new ApiError(413, where + "data is larger than " + limits.maxPayloadBytes() + " bytes");
        }
        List<String> channels = channels(node, batchItem, limits, where);
        String socketId = text(node, "socket_id", where);
        if (socketId != null && !socketId.matches("\\d{1,20}\\.\\d{1,20}")) {
            throw new ApiError(400, where + "socket_id '" + socketId + "' must look like 1234.5678");
        }
        JsonNode info = node.get("info");
        if (info != null && !info.isNull() && !info.isTextual()) {
            throw new ApiError(400, where + "info must be a comma-separated string");
        }
        ChannelAttributes attributes = info == null || info.isNull() ? null : ChannelAttributes.parse(info.asText());
        return new ApiEvent(name, channels, data, socketId, attributes);
    }

    /**
     * Throws a 400 saying why {@code name} cannot be published to, if it cannot. Of the internal
     * {@code #} channels only {@code #server-to-user-<id>} is allowed: server SDKs' {@code sendToUser}
     * publishes there.
     */
    public static void checkChannel(String name, Limits limits, String where) {
        String problem = limits.channelNameProblem(name);
        if (problem == null && name.startsWith("#") && !name.startsWith(ChannelType.SERVER_TO_USER_PREFIX)) {
            problem = "channel " + name + " is internal";
        }
        if (problem != null) {
            throw new ApiError(400, where + problem);
        }
    }

    private static List<String> channels(JsonNode node, boolean batchItem, Limits limits, String where) {
        List<String> channels = new ArrayList<>();
        JsonNode many = node.get("channels");
        if (many != null && !many.isNull() && !batchItem) {
            if (!many.isArray()) {
                throw new ApiError(400, where + "channels must be an array of channel names");
            }
            for (JsonNode c : many) {
                if (!c.isTextual()) {
                    throw new ApiError(400, where + "channels must hold strings, got " + c);
                }
                channels.add(c.asText());
            }
        } else {
            String one = text(node, "channel", where);
            if (one != null) {
                channels.add(one);
            }
        }
        if (channels.isEmpty()) {
            throw new ApiError(400, where + (batchItem ? "channel is missing" : "channels is missing"));
        }
        if (channels.size() > limits.maxBroadcastChannels()) {
            throw new ApiError(400, where + "too many channels: " + channels.size() + ", at most "
                    + limits.maxBroadcastChannels() + " allowed");
        }
        for (String c : channels) {
            checkChannel(c, limits, where);
        }
        return List.copyOf(channels);
    }

    /** A string {@code data} is kept byte for byte; other JSON (some clients send objects) is serialised once. */
    private static String data(JsonNode data, String where) {
        if (data == null || data.isNull()) {
            throw new ApiError(400, where + "data is missing");
        }
        return data.isTextual() ? data.asText() : data.toString();
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ApiError(400, where + field + " must be a string");
        }
        return value.asText();
    }
}
