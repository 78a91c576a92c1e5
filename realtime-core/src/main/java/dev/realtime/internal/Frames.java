package dev.realtime.internal;

import java.util.concurrent.atomic.LongAdder;

/** Builds the server-to-client frames of PROTOCOL.md; {@code data} is always a JSON string (double-encoded). */
public final class Frames {
    /** How many event frames have been built: broadcasts count one per channel, never per subscriber. */
    private static final LongAdder EVENT_FRAMES = new LongAdder();

    public static final String PONG = "{\"event\":\"pusher:pong\",\"data\":\"{}\"}";
    public static final String PING = "{\"event\":\"pusher:ping\",\"data\":\"{}\"}";

    private Frames() {
    }

    /** The number of event frames built so far (for tests that prove one serialisation per broadcast). */
    public static long eventFramesBuilt() {
        return EVENT_FRAMES.sum();
    }

    /** {@code {"event":e,"channel":c,"data":"<dataJson as a string>"}}; channel may be null. */
    public static String event(String event, String channel, String data) {
        EVENT_FRAMES.increment();
        StringBuilder sb = new StringBuilder(data.length() + event.length() + (channel == null ? 0 : channel.length()) + 48);
        Json.quote(sb.append("{\"event\":"), event);
        if (channel != null) {
            Json.quote(sb.append(",\"channel\":"), channel);
        }
        Json.quote(sb.append(",\"data\":"), data);
        return sb.append('}').toString();
    }

    /** A relayed client event: data exactly as received (raw JSON), plus {@code user_id} on presence channels. */
    public static String clientEvent(String event, String channel, String rawData, String userId) {
        StringBuilder sb = new StringBuilder(rawData.length() + 96);
        Json.quote(sb.append("{\"event\":"), event);
        Json.quote(sb.append(",\"channel\":"), channel);
        sb.append(",\"data\":").append(rawData);
        if (userId != null) {
            Json.quote(sb.append(",\"user_id\":"), userId);
        }
        return sb.append('}').toString();
    }

    public static String connectionEstablished(String socketId, int activityTimeoutSeconds) {
        return internal("pusher:connection_established", null,
                "{\"socket_id\":" + Json.quote(socketId) + ",\"activity_timeout\":" + activityTimeoutSeconds + "}");
    }

    /** {@code pusher:error} with {@code data} as an object, code a JSON number. */
    public static String error(int code, String message) {
        StringBuilder sb = new StringBuilder(64 + message.length());
        sb.append("{\"event\":\"pusher:error\",\"data\":{\"code\":").append(code).append(",\"message\":");
        return Json.quote(sb, message).append("}}").toString();
    }

    /** {@code pusher:subscription_error} with {@code {type, error, status}}, which Echo's {@code .error()} receives. */
    public static String subscriptionError(String channel, String type, String error, int status) {
        StringBuilder sb = new StringBuilder(96 + error.length());
        sb.append("{\"event\":\"pusher:subscription_error\",\"channel\":");
        Json.quote(sb, channel).append(",\"data\":{\"type\":");
        Json.quote(sb, type).append(",\"error\":");
        Json.quote(sb, error).append(",\"status\":").append(status).append("}}");
        return sb.toString();
    }

    public static String subscriptionSucceeded(String channel, String dataJson) {
        return internal("pusher_internal:subscription_succeeded", channel, dataJson);
    }

    public static String cacheMiss(String channel) {
        return "{\"event\":\"pusher:cache_miss\",\"channel\":" + Json.quote(channel) + "}";
    }

    public static String memberAdded(String channel, String userId, String userInfoJson) {
        return internal("pusher_internal:member_added", channel,
                "{\"user_id\":" + Json.quote(userId) + ",\"user_info\":" + userInfoJson + "}");
    }

    public static String memberRemoved(String channel, String userId) {
        return internal("pusher_internal:member_removed", channel, "{\"user_id\":" + Json.quote(userId) + "}");
    }

    public static String signinSuccess(String userData) {
        return internal("pusher:signin_success", null, "{\"user_data\":" + Json.quote(userData) + "}");
    }

    private static String internal(String event, String channel, String data) {
        StringBuilder sb = new StringBuilder(data.length() + 96);
        Json.quote(sb.append("{\"event\":"), event);
        if (channel != null) {
            Json.quote(sb.append(",\"channel\":"), channel);
        }
        Json.quote(sb.append(",\"data\":"), data);
        return sb.append('}').toString();
    }
}
