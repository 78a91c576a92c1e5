package dev.realtime;

import java.util.Map;
import java.util.Objects;

/**
 * A request to join a channel, as seen by an authorizer.
 *
 * @param name     the full channel name, e.g. {@code private-user.42}
 * @param socketId the socket asking to subscribe
 * @param params   the values of the {@code {placeholders}} of the pattern that matched
 */
public record ChannelRequest(String name, String socketId, Map<String, String> params) {

    public ChannelRequest {
        Objects.requireNonNull(name, "name");
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** The value of placeholder {@code {name}} of the matched pattern, or null when it has none. */
    public String param(String name) {
        return params.get(name);
    }

    /** The kind of channel, from its prefix. */
    public ChannelType type() {
        return ChannelType.of(name);
    }
}
