package dev.realtime.internal;

import dev.realtime.ErrorCodes;
import dev.realtime.Limits;
import dev.realtime.RealtimeException;
import java.util.List;

/** The checks on what the application sends ({@code broadcast}, {@code sendToUser}, {@code send}): a clear error before anything goes out. */
final class ServerEvents {
    private ServerEvents() {
    }

    /** Fails unless {@code names} holds 1 to {@code maxBroadcastChannels} valid, non-internal channel names. */
    static void checkChannels(List<String> names, Limits limits) {
        if (names.isEmpty() || names.size() > limits.maxBroadcastChannels()) {
            throw new RealtimeException(ErrorCodes.INVALID_MESSAGE, "a broadcast names 1 to "
                    + limits.maxBroadcastChannels() + " channels, got " + names.size());
        }
        for (String name : names) {
            String problem = ChannelNames.problem(name, limits.maxChannelNameLength());
            if (problem == null && name.startsWith("#")) {
                problem = "channel " + name + " is internal: use sendToUser";
            }
            if (problem != null) {
                throw new RealtimeException(ErrorCodes.INVALID_MESSAGE, "cannot broadcast: " + problem);
            }
        }
    }

    /** Validates the event name and payload; returns the data as the JSON string the frame carries. */
    static String payload(String event, Object data, Limits limits) {
        String problem = ChannelNames.eventProblem(event, limits.maxEventNameLength());
        if (problem == null && (event.startsWith("pusher:") || event.startsWith("pusher_internal:"))) {
            problem = "event names starting with pusher: or pusher_internal: are reserved";
        }
        if (problem != null) {
            throw new RealtimeException(ErrorCodes.INVALID_MESSAGE, "cannot broadcast: " + problem);
        }
        String json = data instanceof String s ? s : Json.write(data);
        if (Json.exceeds(json, limits.maxPayloadBytes())) {
            throw new RealtimeException(ErrorCodes.INVALID_MESSAGE, "event data is larger than "
                    + limits.maxPayloadBytes() + " bytes (Limits.maxPayloadBytes)");
        }
        return json;
    }
}
