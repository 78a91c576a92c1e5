package dev.realtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.AuthResponse;
import dev.realtime.Realtime;
import dev.realtime.User;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Opens a server-issued session (an EventSource stream, a JSON long-poll) subscribed to the channels
 * named in the query string ({@code ?channels=a,b,private-c}): public channels as any client would;
 * private and presence ones only when the request's user (found by the application's
 * {@code Authenticator}: a cookie, a query parameter, a header) passes the channel's authorizer, signed
 * here as the auth endpoint would sign them. The subscriptions go to the node as {@code pusher:subscribe}
 * frames: the node checks them as it checks any client's.
 */
public final class QuerySubscriptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> frames;

    private QuerySubscriptions(List<String> frames) {
        this.frames = frames;
    }

    /**
     * Opens {@code session} on the node for {@code appKey} and authorizes the channels of the request;
     * null after answering a refusal on the exchange (the session then abandoned): 400 for a bad channel
     * list, or the authorizer's answer (401 without a user, 403 denied) for a private or presence channel.
     * Call {@link #subscribe} once the response is attached.
     */
    public static QuerySubscriptions open(HttpExchange exchange, HttpSession session, Realtime realtime, String appKey) {
        Set<String> channels = new LinkedHashSet<>();
        String list = exchange.query("channels");
        if (list == null) {
            list = exchange.query("channel");
        }
        if (list != null) {
            for (String c : list.split(",")) {
                if (!c.isBlank()) {
                    channels.add(c.trim());
                }
            }
        }
        int max = realtime.limits().maxChannelsPerConnection();
        if (channels.size() > max) {
            session.abandon("too many channels");
            Answers.error(exchange, 400, "at most " + max + " channels per connection, got " + channels.size());
            return null;
        }
        String socketId = session.open(appKey, "7");
        if (socketId == null) {
            return new QuerySubscriptions(List.of()); // refused by the node: the stream carries its error and close
        }
        User user = null;
        boolean userLooked = false;
        List<String> frames = new ArrayList<>();
        for (String channel : channels) {
            ObjectNode data = JSON.createObjectNode().put("channel", channel).put("auth", "");
            if (channel.startsWith("private-") || channel.startsWith("presence-")) {
                if (!userLooked) {
                    user = realtime.authenticate(exchange.authRequest());
                    userLooked = true;
                }
                AuthResponse auth = realtime.authorizeChannel(socketId, channel, user);
                if (!auth.ok()) {
                    session.abandon("not authorized for " + channel);
                    Answers.json(exchange, auth.status(), auth.body());
                    return null;
                }
                try {
                    JsonNode body = JSON.readTree(auth.body());
                    data.put("auth", body.path("auth").asText());
                    if (body.hasNonNull("channel_data")) {
                        data.put("channel_data", body.get("channel_data").asText());
                    }
                } catch (IOException e) {
                    session.abandon("authorization failed");
                    Answers.error(exchange, 500, "the channel authorization could not be read: " + e.getMessage());
                    return null;
                }
            }
            frames.add(JSON.createObjectNode().put("event", "pusher:subscribe").set("data", data).toString());
        }
        return new QuerySubscriptions(frames);
    }

    /** Hands the subscriptions to the node (after {@code connection_established}, in the order asked). */
    public void subscribe(HttpSession session) {
        if (!frames.isEmpty()) {
            session.receive(frames);
        }
    }
}
