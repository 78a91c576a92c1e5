package dev.realtime.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.Broadcast;
import dev.realtime.ChannelInfo;
import dev.realtime.ChannelType;
import dev.realtime.HttpApiSignature;
import dev.realtime.Limits;
import dev.realtime.Member;
import dev.realtime.Realtime;
import dev.realtime.RealtimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The Pusher HTTP API (PROTOCOL.md §7) under {@code /apps/{id}/…}, for server SDKs: publish
 * ({@code events}, {@code batch_events}), channel queries, and {@code terminate_connections}. Every
 * request is authenticated by {@link HttpApiSignature} from its query before its body is read.
 */
final class HttpApi {
    static final String PREFIX = "/apps/";

    private final Realtime realtime;
    private final Limits limits;
    private final BodyReader.Limits bodyLimits;
    private final HttpApiSignature signature;

    HttpApi(Realtime realtime, BodyReader.Limits bodyLimits, LongSupplier nowSeconds) {
        this.realtime = realtime;
        this.limits = realtime.limits();
        this.bodyLimits = bodyLimits;
        this.signature = new HttpApiSignature(realtime.app(), nowSeconds, HttpApiSignature.DEFAULT_MAX_CLOCK_SKEW_SECONDS);
    }

    /** The routes, by the path segments after {@code /apps/{id}/}. */
    private enum Route {
        EVENTS("POST"), BATCH_EVENTS("POST"), CHANNELS("GET"), CHANNEL("GET"), USERS("GET"), TERMINATE("POST");

        final String method;

        Route(String method) {
            this.method = method;
        }

        static Route of(List<String> rest) {
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

    /**
     * Handles a request whose path starts with {@code /apps/}. Everything that authenticates it is in the
     * path and query, so a request that is not this app's, or not signed with its secret, is refused
     * before a byte of its body is read (and the connection closed when it has one): an unauthenticated
     * caller cannot make the server buffer anything. Only then is the body read, against the limits,
     * and checked against the signed {@code body_md5}.
     */
    void handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        boolean unreadBody = Http.hasBody(request);
        List<String> segments;
        Map<String, String> params;
        Route route;
        try {
            segments = segments(path.substring(PREFIX.length()));
            route = segments.size() < 2 ? null : Route.of(segments.subList(1, segments.size()));
            if (route == null) {
                throw new HttpError(404, "no such path in the HTTP API: " + path);
            }
            if (!route.method.equals(request.getMethod())) {
                if (unreadBody) {
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                }
                Http.methodNotAllowed(request, response, callback, route.method);
                return;
            }
            if (!segments.get(0).equals(realtime.app().id())) {
                throw new HttpError(404, "unknown app id '" + segments.get(0) + "'");
            }
            params = queryParameters(request);
            String problem = signature.problem(request.getMethod(), path, params);
            String decoded = PREFIX + String.join("/", segments);
            if (problem != null && !decoded.equals(path) && signature.problem(request.getMethod(), decoded, params) == null) {
                problem = null; // a client that percent-encoded the path but signed it decoded
            }
            if (problem != null) {
                throw new HttpError(401, problem);
            }
        } catch (HttpError e) {
            // the body stays unread: the connection cannot carry another request
            Http.error(response, callback, new HttpError(e.status(), e.getMessage(), unreadBody));
            return;
        }
        BodyReader.read(request, bodyLimits, (body, error) -> {
            try {
                if (error != null) {
                    throw error;
                }
                String problem = HttpApiSignature.bodyProblem(params, body);
                if (problem != null) {
                    throw new HttpError(401, problem);
                }
                Http.json(response, callback, 200, dispatch(route, segments, params, body));
            } catch (HttpError e) {
                Http.error(response, callback, e);
            } catch (RealtimeException e) {
                Http.error(response, callback, 400, e.getMessage());
            } catch (RuntimeException e) {
                RealtimeServer.LOG.error("HTTP API request {} {} failed", request.getMethod(), path, e);
                Http.error(response, callback, 500, "internal error: " + e);
            }
        });
    }

    private String dispatch(Route route, List<String> segments, Map<String, String> params, byte[] body) {
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
        ObjectNode out = ServerJson.MAPPER.createObjectNode();
        if (event.info() != null) {
            out.set("channels", channelInfos(event.channels(), event.info()));
        }
        return out.toString();
    }

    private String batchEvents(byte[] body) {
        JsonNode batch = object(body).get("batch");
        if (batch == null || !batch.isArray()) {
            throw new HttpError(400, "batch is missing: send {\"batch\":[{\"name\":…,\"channel\":…,\"data\":…}]}");
        }
        if (batch.isEmpty()) {
            throw new HttpError(400, "batch is empty");
        }
        if (batch.size() > limits.maxBatchEvents()) {
            throw new HttpError(400, "batch has " + batch.size() + " events, at most " + limits.maxBatchEvents() + " allowed");
        }
        List<ApiEvent> events = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            events.add(ApiEvent.parse(batch.get(i), true, limits, "batch[" + i + "]: "));
        }
        events.forEach(this::publish);
        boolean anyInfo = events.stream().anyMatch(e -> e.info() != null);
        ObjectNode out = ServerJson.MAPPER.createObjectNode();
        if (anyInfo) {
            ArrayNode results = out.putArray("batch");
            for (ApiEvent e : events) {
                results.add(e.info() == null ? ServerJson.MAPPER.createObjectNode()
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
            throw new HttpError(400, "info=user_count is only available with filter_by_prefix=presence-");
        }
        ObjectNode channels = ServerJson.MAPPER.createObjectNode();
        for (Map.Entry<String, ChannelInfo> e : realtime.channels(prefix).entrySet()) {
            if (e.getValue().occupied() && !e.getKey().startsWith("#")) {
                channels.set(e.getKey(), attributes(e.getValue(), info));
            }
        }
        ObjectNode out = ServerJson.MAPPER.createObjectNode();
        out.set("channels", channels);
        return out.toString();
    }

    private String channel(String name, Map<String, String> params) {
        ApiEvent.checkChannel(name, limits, "");
        ChannelAttributes info = ChannelAttributes.parse(params.get("info"));
        if (info.userCount() && !ChannelType.of(name).isPresence()) {
            throw new HttpError(400, "info=user_count is only available for presence channels, not " + name);
        }
        ChannelInfo channel = realtime.channel(name);
        ObjectNode out = ServerJson.MAPPER.createObjectNode();
        out.put("occupied", channel.occupied());
        out.setAll(attributes(channel, info));
        return out.toString();
    }

    private String users(String name) {
        ApiEvent.checkChannel(name, limits, "");
        if (!ChannelType.of(name).isPresence()) {
            throw new HttpError(400, "users are only available for presence channels, not " + name);
        }
        ObjectNode out = ServerJson.MAPPER.createObjectNode();
        ArrayNode users = out.putArray("users");
        for (Member m : realtime.presence(name)) {
            users.addObject().put("id", m.userId());
        }
        return out.toString();
    }

    private String terminate(String userId) {
        if (userId.isEmpty()) {
            throw new HttpError(400, "user id is missing");
        }
        realtime.disconnectUser(userId);
        return "{}";
    }

    private ObjectNode channelInfos(List<String> channels, ChannelAttributes info) {
        ObjectNode out = ServerJson.MAPPER.createObjectNode();
        for (String name : channels) {
            out.set(name, attributes(realtime.channel(name), info));
        }
        return out;
    }

    private static ObjectNode attributes(ChannelInfo channel, ChannelAttributes info) {
        ObjectNode out = ServerJson.MAPPER.createObjectNode();
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
            throw new HttpError(400, "the request body is empty: send a JSON object");
        }
        JsonNode node;
        try {
            node = ServerJson.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new HttpError(400, "the request body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) {
            throw new HttpError(400, "the request body must be a JSON object");
        }
        return node;
    }

    private static Map<String, String> queryParameters(Request request) {
        Fields fields;
        try {
            fields = Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            throw new HttpError(400, "the query string cannot be decoded: " + e.getMessage());
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Fields.Field f : fields) {
            params.put(f.getName(), f.getValue());
        }
        return params;
    }

    /** The path's segments, percent-decoded; a {@code ;} stays part of its segment (channel names may hold it). */
    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            out.add(percentDecode(s));
        }
        return out;
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new HttpError(400, "bad percent-encoding in the path segment '" + s + "'");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
