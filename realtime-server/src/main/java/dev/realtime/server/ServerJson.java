package dev.realtime.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The server's JSON: one Jackson mapper for its answers and the bodies it reads. */
final class ServerJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ServerJson() {
    }

    /** {@code s} as a JSON string literal, quotes included. */
    static String quote(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    /** The parsed JSON, or null when {@code text} is not JSON. */
    static JsonNode readOrNull(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
