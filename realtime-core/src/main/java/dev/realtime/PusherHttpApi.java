package dev.realtime;

import dev.realtime.internal.ApiError;
import dev.realtime.internal.HttpApiCalls;
import dev.realtime.internal.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pusher HTTP API (PROTOCOL.md §7) under {@code /apps/{id}/…} as plain calls, for any HTTP server
 * (the embedded server and the Spring Boot starter both serve it through this): publish
 * ({@code events}, {@code batch_events}), channel queries and {@code terminate_connections}, so Pusher
 * server SDKs can publish into a node. A request is authenticated in two steps, so that an
 * unauthenticated caller cannot make the server buffer anything:
 *
 * <pre>{@code
 * PusherHttpApi.Call call = api.open(method, path, query);   // route, app id, signature: no body needed
 * if (call.refusal() != null) { write(call.refusal()); return; }   // and don't read the body
 * write(call.complete(body));                                 // body_md5, then the call itself
 * }</pre>
 *
 * Thread-safe.
 */
public final class PusherHttpApi {
    /** The path prefix of every route. */
    public static final String PREFIX = "/apps/";
    private static final Logger LOG = LoggerFactory.getLogger(PusherHttpApi.class);

    private final Realtime realtime;
    private final HttpApiSignature signature;
    private final HttpApiCalls calls;

    /** The API of {@code realtime}, checking timestamps against the system clock. */
    public PusherHttpApi(Realtime realtime) {
        this(realtime, () -> System.currentTimeMillis() / 1000);
    }

    /** The API of {@code realtime}, checking {@code auth_timestamp} against {@code nowSeconds} (epoch seconds). */
    public PusherHttpApi(Realtime realtime, LongSupplier nowSeconds) {
        this.realtime = Objects.requireNonNull(realtime, "realtime");
        this.signature = new HttpApiSignature(realtime.app(), nowSeconds, HttpApiSignature.DEFAULT_MAX_CLOCK_SKEW_SECONDS);
        this.calls = new HttpApiCalls(realtime);
    }

    /**
     * An answer to write as is: the status, the JSON body ({@code {"error":"…"}} when refused) and, for a
     * 405, the method to name in the {@code Allow} header (else null).
     */
    public record Answer(int status, String body, String allow) {
        /** Whether the call succeeded. */
        public boolean ok() {
            return status == 200;
        }

        static Answer error(int status, String message) {
            return new Answer(status, "{\"error\":" + Json.quote(message) + "}", null);
        }
    }

    /** One request, authenticated from its method, path and query; its body comes afterwards. */
    public final class Call {
        private final Answer refusal;
        private final HttpApiCalls.Route route;
        private final List<String> segments;
        private final Map<String, String> params;
        private final String description;

        private Call(Answer refusal, HttpApiCalls.Route route, List<String> segments, Map<String, String> params,
                String description) {
            this.refusal = refusal;
            this.route = route;
            this.segments = segments;
            this.params = params;
            this.description = description;
        }

        /** The answer when the request is refused before its body is read (404, 405, 401); null when it may go on. */
        public Answer refusal() {
            return refusal;
        }

        /**
         * Checks {@code body} against the signed {@code body_md5} and runs the call; the body of a GET is
         * empty or null. The caller reads the body against its own size limit first (413 is the host's).
         */
        public Answer complete(byte[] body) {
            if (refusal != null) {
                return refusal;
            }
            try {
                String problem = HttpApiSignature.bodyProblem(params, body == null ? new byte[0] : body);
                if (problem != null) {
                    return Answer.error(401, problem);
                }
                return new Answer(200, calls.call(route, segments, params, body), null);
            } catch (ApiError e) {
                return Answer.error(e.status(), e.getMessage());
            } catch (RealtimeException e) {
                return Answer.error(400, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("HTTP API request {} failed", description, e);
                return Answer.error(500, "internal error: " + e);
            }
        }
    }

    /**
     * Authenticates a request to a path under {@link #PREFIX}: the route (404), its method (405), the app
     * id (404) and the signature with its timestamp (401), needing nothing from the body.
     *
     * @param path  the request path as received (percent-encoded segments are decoded here)
     * @param query the decoded query parameters, first value of each
     */
    public Call open(String method, String path, Map<String, String> query) {
        Map<String, String> params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(query));
        String description = method + " " + path;
        List<String> segments;
        try {
            segments = segments(path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "");
        } catch (ApiError e) {
            return refused(Answer.error(e.status(), e.getMessage()));
        }
        HttpApiCalls.Route route = segments.size() < 2 ? null : HttpApiCalls.Route.of(segments.subList(1, segments.size()));
        if (!path.startsWith(PREFIX) || route == null) {
            return refused(Answer.error(404, "no such path in the HTTP API: " + path));
        }
        if (!route.method().equals(method)) {
            Answer answer = Answer.error(405, method + " is not allowed on " + path + ": use " + route.method());
            return refused(new Answer(405, answer.body(), route.method()));
        }
        if (!segments.get(0).equals(realtime.app().id())) {
            return refused(Answer.error(404, "unknown app id '" + segments.get(0) + "'"));
        }
        String problem = signature.problem(method, path, params);
        String decoded = PREFIX + String.join("/", segments);
        if (problem != null && !decoded.equals(path) && signature.problem(method, decoded, params) == null) {
            problem = null; // a client that percent-encoded the path but signed it decoded
        }
        if (problem != null) {
            return refused(Answer.error(401, problem));
        }
        return new Call(null, route, segments, params, description);
    }

    private Call refused(Answer answer) {
        return new Call(answer, null, List.of(), Map.of(), null);
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new ApiError(400, "bad percent-encoding in the path segment '" + s + "'");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
