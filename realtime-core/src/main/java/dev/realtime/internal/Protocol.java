package dev.realtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.ChannelType;
import dev.realtime.ClientEvent;
import dev.realtime.ErrorCodes;
import dev.realtime.Limits;
import dev.realtime.Member;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inbound half of the protocol engine: every client frame of PROTOCOL.md §1–6. Runs on the
 * thread of the session call that brought the frame (one at a time per connection).
 */
final class Protocol {
    private final Limits limits;
    private final Signer signer;
    private final String appKey;
    private final boolean clientEventsEnabled;
    private final UserRegistry users;
    private final Publisher publisher;
    private final ListenerDispatcher dispatcher;

    Protocol(Limits limits, Signer signer, String appKey, boolean clientEventsEnabled, UserRegistry users,
             Publisher publisher, ListenerDispatcher dispatcher) {
        this.limits = limits;
        this.signer = signer;
        this.appKey = appKey;
        this.clientEventsEnabled = clientEventsEnabled;
        this.users = users;
        this.publisher = publisher;
        this.dispatcher = dispatcher;
    }

    void handle(Connection c, String text) {
        if (Json.exceeds(text, limits.maxMessageBytes())) {
            c.deliver(Frames.error(ErrorCodes.INVALID_MESSAGE, "message is larger than " + limits.maxMessageBytes() + " bytes"));
            return;
        }
        String floodReply = c.admitInbound(System.nanoTime());
        if (floodReply != null) {
            if (!floodReply.isEmpty()) {
                c.deliver(Frames.error(ErrorCodes.CLIENT_EVENT_RATE_LIMIT, floodReply));
            }
            return;
        }
        JsonNode root = Json.readOrNull(text);
        if (root == null || !root.isObject()) {
            c.deliver(Frames.error(ErrorCodes.INVALID_MESSAGE, "invalid message: expected a JSON object"));
            return;
        }
        JsonNode eventNode = root.get("event");
        if (eventNode == null || !eventNode.isTextual() || eventNode.asText().isEmpty()) {
            c.deliver(Frames.error(ErrorCodes.INVALID_MESSAGE, "invalid message: 'event' is missing or not a string"));
            return;
        }
        String event = eventNode.asText();
        switch (event) {
            case "pusher:ping" -> c.deliver(Frames.PONG);
            case "pusher:pong" -> { /* activity was recorded */ }
            case "pusher:subscribe" -> subscribe(c, dataObject(root));
            case "pusher:unsubscribe" -> unsubscribe(c, dataObject(root));
            case "pusher:signin" -> signin(c, dataObject(root));
            default -> {
                if (event.startsWith("client-")) {
                    clientEvent(c, event, root);
                } else {
                    c.deliver(Frames.error(ErrorCodes.INVALID_MESSAGE, "unknown event '" + truncate(event)
                            + "': clients send pusher:ping, pusher:pong, pusher:subscribe, pusher:unsubscribe, "
                            + "pusher:signin and client- events"));
                }
            }
        }
    }

    /** The frame's {@code data} as an object: sent as an object (pusher-js) or a JSON string; null otherwise. */
    private static JsonNode dataObject(JsonNode root) {
        JsonNode data = root.get("data");
        if (data != null && data.isTextual()) {
            data = Json.readOrNull(data.asText());
        }
        return data != null && data.isObject() ? data : null;
    }

    private static String text(JsonNode data, String field) {
        JsonNode n = data == null ? null : data.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private void subscribe(Connection c, JsonNode data) {
        String channel = text(data, "channel");
        if (channel == null) {
            c.deliver(Frames.error(ErrorCodes.INVALID_MESSAGE, "pusher:subscribe needs data.channel as a string"));
            return;
        }
        String problem = ChannelNames.problem(channel, limits.maxChannelNameLength());
        if (problem != null) {
            c.deliver(Frames.subscriptionError(truncate(channel), "InvalidChannel", problem, 400));
            return;
        }
        ChannelType type = ChannelType.of(channel);
        Member member = null;
        String userInfoJson = null;
        if (type == ChannelType.SERVER_TO_USER) {
            String owner = channel.substring(ChannelType.SERVER_TO_USER_PREFIX.length());
            if (!owner.equals(c.userId())) {
                c.deliver(Frames.subscriptionError(channel, "AuthError",
                        "only a connection signed in as user '" + owner + "' may subscribe to " + channel, 403));
                return;
            }
        } else if (type.isPresence()) {
            String channelData = text(data, "channel_data");
            if (!signer.verifyAuth(appKey, text(data, "auth"), c.socketId + ":" + channel + ":" + channelData)) {
                c.deliver(Frames.subscriptionError(channel, "AuthError", channelData == null
                        ? "presence subscription needs channel_data as a string and its auth signature"
                        : "invalid auth signature for " + channel, 401));
                return;
            }
            JsonNode parsed = Json.readOrNull(channelData);
            JsonNode id = parsed != null && parsed.isObject() ? parsed.get("user_id") : null;
            String userId = id != null && (id.isTextual() || id.isIntegralNumber()) ? id.asText() : null;
            if (userId == null || userId.isEmpty() || userId.length() > limits.maxUserIdLength()) {
                c.deliver(Frames.subscriptionError(channel, "InvalidPresenceData", "channel_data.user_id must be a "
                        + "non-empty string or number of at most " + limits.maxUserIdLength() + " characters", 400));
                return;
            }
            JsonNode info = parsed.get("user_info");
            userInfoJson = info == null || info.isNull() ? "{}" : info.toString();
            if (Json.exceeds(userInfoJson, limits.maxUserInfoBytes())) {
                c.deliver(Frames.subscriptionError(channel, "InvalidPresenceData",
                        "channel_data.user_info is larger than " + limits.maxUserInfoBytes() + " bytes", 400));
                return;
            }
            member = Member.of(userId, info != null && info.isObject() ? toMap(info) : Map.of());
        } else if (type.requiresAuth()) {
            if (!signer.verifyAuth(appKey, text(data, "auth"), c.socketId + ":" + channel)) {
                c.deliver(Frames.subscriptionError(channel, "AuthError", "invalid auth signature for " + channel, 401));
                return;
            }
        }
        String error = c.subscribe(channel, type, member, userInfoJson);
        if (error != null) {
            c.deliver(error);
        }
    }

    private void unsubscribe(Connection c, JsonNode data) {
        String channel = text(data, "channel");
        if (channel == null) {
            c.deliver(Frames.error(ErrorCodes.INVALID_MESSAGE, "pusher:unsubscribe needs data.channel as a string"));
            return;
        }
        c.unsubscribe(channel);
    }

    private void signin(Connection c, JsonNode data) {
        String userData = text(data, "user_data");
        if (!signer.verifyAuth(appKey, text(data, "auth"), c.socketId + "::user::" + userData)) {
            refuseSignin(c, userData == null ? "pusher:signin needs user_data as a string and its auth signature"
                    : "invalid sign-in signature");
            return;
        }
        JsonNode parsed = Json.readOrNull(userData);
        JsonNode id = parsed != null && parsed.isObject() ? parsed.get("id") : null;
        if (id == null || !id.isTextual() || id.asText().isEmpty() || id.asText().length() > limits.maxUserIdLength()) {
            refuseSignin(c, "user_data.id must be a non-empty string of at most " + limits.maxUserIdLength() + " characters");
            return;
        }
        if (id.asText().equals(c.userId())) {
            // Already signed in as this user on this socket: answer once. pusher-java-client can send a
            // second signin when its own signin() races its CONNECTED handler, and a second success makes
            // it subscribe #server-to-user- twice ("Already subscribed") on its event thread.
            return;
        }
        String error = users.signIn(c, id.asText(), limits.maxConnectionsPerUser());
        if (error != null) {
            c.deliver(Frames.error(ErrorCodes.OVER_CAPACITY, error));
            c.close(ErrorCodes.OVER_CAPACITY, error);
            return;
        }
        c.deliver(Frames.signinSuccess(userData));
    }

    private static void refuseSignin(Connection c, String why) {
        c.deliver(Frames.error(ErrorCodes.UNAUTHORIZED, why));
        c.close(ErrorCodes.UNAUTHORIZED, why);
    }

    private void clientEvent(Connection c, String event, JsonNode root) {
        JsonNode channelNode = root.get("channel");
        if (channelNode == null || !channelNode.isTextual()) {
            c.deliver(Frames.error(ErrorCodes.INVALID_MESSAGE, "client event '" + truncate(event) + "' needs a channel"));
            return;
        }
        String channel = channelNode.asText();
        if (!clientEventsEnabled) {
            c.deliver(Frames.error(ErrorCodes.UNAUTHORIZED, "client events are disabled on this server"));
            return;
        }
        if (!ChannelType.of(channel).allowsClientEvents()) {
            c.deliver(Frames.error(ErrorCodes.UNAUTHORIZED, "client events are only allowed on private- and presence- "
                    + "channels (not encrypted ones), not on " + truncate(channel)));
            return;
        }
        if (!c.isSubscribed(channel)) {
            c.deliver(Frames.error(ErrorCodes.UNAUTHORIZED, "not subscribed to " + truncate(channel)));
            return;
        }
        if (event.length() > limits.maxEventNameLength()) {
            c.deliver(Frames.error(ErrorCodes.INVALID_MESSAGE, "event name is longer than " + limits.maxEventNameLength()
                    + " characters"));
            return;
        }
        JsonNode data = root.get("data");
        String raw = data == null ? "{}" : data.toString();
        if (Json.exceeds(data != null && data.isTextual() ? data.asText() : raw, limits.maxPayloadBytes())) {
            c.deliver(Frames.error(ErrorCodes.INVALID_MESSAGE, "client event data is larger than "
                    + limits.maxPayloadBytes() + " bytes"));
            return;
        }
        if (!c.tryClientEvent(System.nanoTime())) {
            c.deliver(Frames.error(ErrorCodes.CLIENT_EVENT_RATE_LIMIT, "client event rate limit: at most "
                    + limits.clientEventsPerSecond() + " per second; '" + truncate(event) + "' was not sent"));
            return;
        }
        String userId = c.presenceUserId(channel);
        publisher.toChannel(channel, Frames.clientEvent(event, channel, raw, userId), c.socketId);
        ClientEvent relayed = new ClientEvent(channel, event, raw, c.socketId, userId);
        dispatcher.fire(l -> l.clientEvent(relayed));
    }

    private static Map<String, Object> toMap(JsonNode node) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.MAPPER.convertValue(node, LinkedHashMap.class);
        return map;
    }

    private static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
