package dev.realtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.Broadcast;
import dev.realtime.ChannelInfo;
import dev.realtime.ChannelType;
import dev.realtime.Limits;
import dev.realtime.Member;
import dev.realtime.Realtime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What each route of the Pusher HTTP API (PROTOCOL.md §7) does once its request is authenticated:
 * publish ({@code events}, {@code batch_events}), channel queries and {@code terminate_connections}.
 * Answers are JSON text; a refusal is an {@link ApiError}. Shared by every HTTP host through
 * {@code dev.realtime.PusherHttpApi}.
 */
public final class HttpApiCalls {

    /** The routes, by the path segments after {@code /apps/{id}/}. */
    public enum Route {
        EVENTS("POST"), BATCH_EVENTS("POST"), CHANNELS("GET"), CHANNEL("GET"), USERS("GET"), TERMINATE("POST");

        private final String method;

        Route(String method) {
            this.method = method;
        }

        /** The one HTTP method the route accepts. */
        public String method() {
            return method;
        }

        /** The route for the segments after the app id, or null. */
        public static Route of(List<String> rest) {
            return switch (rest.size()) {
                case 1 -> switch (rest.get(0)) {
                    case "events" -> EVENTS;
                    case "batch_events" -> BATCH_EVENTS;
                    case "channels" -> CHANNELS;
                    default -> null;
                };
                case 2 -> rest.get(0).equals("channels") ? CHANNEL : null;
                case 3 -> rest.get(0).equals("channels") && rest.get(2).equals("users") ? USERS
                        : rest.get(0).equals("users") && rest.get(2).equals("terminate_connections") ? TERMINATE : null;
                default -> null;
            };
        }
    }

    private final Realtime realtime;
    private final Limits limits;

    public HttpApiCalls(Realtime realtime) {
        this.realtime = realtime;
        this.limits = realtime.limits();
    }

    /** Runs {@code route}; {@code segments} are the decoded path segments after {@code /apps/}. */
    public String call(Route route, List<String> segments, Map<String, String> params, byte[] body) {
        return switch (route) {
            case EVENTS -> events(body);
            case BATCH_EVENTS -> batchEvents(body);
            case CHANNELS -> channels(params);
            case CHANNEL -> channel(segments.get(2), params);
            case USERS -> users(segments.get(2));
            case TERMINATE -> terminate(segments.get(2));
        };
    }

    private String events(byte[] body) {
        ApiEvent event = ApiEvent.parse(object(body), false, limits, "");
        publish(event);
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (event.info() != null) {
            ObjectNode channels = out.putObject("channels");
            for (String name : event.channels()) {
                channels.set(name, attributes(realtime.channel(name), event.info()));
            }
        }
        return out.toString();
    }

    private String batchEvents(byte[] body) {
        JsonNode batch = object(body).get("batch");
        if (batch == null || !batch.isArray()) {
            throw new ApiError(400, "batch is missing: send {\"batch\":[{\"name\":…,\"channel\":…,\"data\":…}]}");
        }
        if (batch.isEmpty()) {
            throw new ApiError(400, "batch is empty");
        }
        if (batch.size() > limits.maxBatchEvents()) {
            throw new ApiError(400, "batch has " + batch.size() + " events, at most " + limits.maxBatchEvents() + " allowed");
        }
        List<ApiEvent> events = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            events.add(ApiEvent.parse(batch.get(i), true, limits, "batch[" + i + "]: "));
        }
        events.forEach(this::publish);
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (events.stream().anyMatch(e -> e.info() != null)) {
            ArrayNode results = out.putArray("batch");
            for (ApiEvent e : events) {
                results.add(e.info() == null ? Json.MAPPER.createObjectNode()
                        : attributes(realtime.channel(e.channels().get(0)), e.info()));
            }
        }
        return out.toString();
    }

    /** Broadcasts to the channels; {@code #server-to-user-<id>} (server SDKs' {@code sendToUser}) goes to that user. */
    private void publish(ApiEvent event) {
        List<String> channels = new ArrayList<>();
        for (String channel : event.channels()) {
            if (channel.startsWith(ChannelType.SERVER_TO_USER_PREFIX)) {
                realtime.sendToUser(channel.substring(ChannelType.SERVER_TO_USER_PREFIX.length()), event.name(), event.data());
            } else {
                channels.add(channel);
            }
        }
        if (!channels.isEmpty()) {
            realtime.broadcast(Broadcast.to(channels).event(event.name()).data(event.data()).except(event.socketId()));
        }
    }

    private String channels(Map<String, String> params) {
        String prefix = params.getOrDefault("filter_by_prefix", "");
        ChannelAttributes info = ChannelAttributes.parse(params.get("info"));
        if (info.userCount() && !prefix.startsWith("presence-")) {
            throw new ApiError(400, "info=user_count is only available with filter_by_prefix=presence-");
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode channels = out.putObject("channels");
        for (Map.Entry<String, ChannelInfo> e : realtime.channels(prefix).entrySet()) {
            if (e.getValue().occupied() && !e.getKey().startsWith("#")) {
                channels.set(e.getKey(), attributes(e.getValue(), info));
            }
        }
        return out.toString();
    }

    private String channel(String name, Map<String, String> params) {
        ApiEvent.checkChannel(name, limits, "");
        ChannelAttributes info = ChannelAttributes.parse(params.get("info"));
        if (info.userCount() && !ChannelType.of(name).isPresence()) {
            throw new ApiError(400, "info=user_count is only available for presence channels, not " + name);
        }
        ChannelInfo channel = realtime.channel(name);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("occupied", channel.occupied());
        out.setAll(attributes(channel, info));
        return out.toString();
    }

    private String users(String name) {
        ApiEvent.checkChannel(name, limits, "");
        if (!ChannelType.of(name).isPresence()) {
            throw new ApiError(400, "users are only available for presence channels, not " + name);
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode users = out.putArray("users");
        for (Member m : realtime.presence(name)) {
            users.addObject().put("id", m.userId());
        }
        return out.toString();
    }

    private String terminate(String userId) {
        if (userId.isEmpty()) {
            throw new ApiError(400, "user id is missing");
        }
        realtime.disconnectUser(userId);
        return "{}";
    }

    private static ObjectNode attributes(ChannelInfo channel, ChannelAttributes info) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (info.userCount() && ChannelType.of(channel.name()).isPresence()) {
            out.put("user_count", channel.userCount());
        }
        if (info.subscriptionCount()) {
            out.put("subscription_count", channel.subscriptionCount());
        }
        return out;
    }

    private static JsonNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ApiError(400, "the request body is empty: send a JSON object");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new ApiError(400, "the request body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) {
            throw new ApiError(400, "the request body must be a JSON object");
        }
        return node;
    }
}
