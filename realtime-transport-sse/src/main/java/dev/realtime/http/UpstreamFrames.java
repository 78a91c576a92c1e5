package dev.realtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies that carry frames up: pusher-js's {@code xhr_send} ({@code JSON.stringify([frame])}: an
 * array of frame strings) and the POSTs of other clients (one frame object, or an array of frame objects
 * or strings). A body that is not one of these is refused with a message saying what is expected.
 */
final class UpstreamFrames {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private UpstreamFrames() {
    }

    /** Thrown for a body that is not of the expected shape; the message is the 400's. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** The frames of an {@code xhr_send} body: a JSON array of strings, each a frame's JSON text. */
    static List<String> xhrSend(byte[] body) throws Malformed {
        JsonNode root = parse(body, "xhr_send");
        if (!root.isArray()) {
            throw new Malformed("an xhr_send body is a JSON array of frame strings (JSON.stringify([frame])), got a JSON "
                    + root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        List<String> frames = new ArrayList<>(root.size());
        for (JsonNode element : root) {
            if (!element.isTextual()) {
                throw new Malformed("an xhr_send body is a JSON array of frame strings (JSON.stringify([frame])), got an element "
                        + element.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
            }
            frames.add(element.textValue());
        }
        return frames;
    }

    /** The frames of a POST to a server-issued session: one frame object, or an array of frame objects or strings. */
    static List<String> post(byte[] body) throws Malformed {
        JsonNode root = parse(body, "the body");
        if (root.isObject()) {
            return List.of(root.toString());
        }
        if (!root.isArray()) {
            throw new Malformed("the body is a frame ({\"event\":…,\"data\":…}) or a JSON array of frames");
        }
        List<String> frames = new ArrayList<>(root.size());
        for (JsonNode element : root) {
            if (element.isObject()) {
                frames.add(element.toString());
            } else if (element.isTextual()) {
                frames.add(element.textValue());
            } else {
                throw new Malformed("the body is a frame ({\"event\":…,\"data\":…}) or a JSON array of frames (objects or strings)");
            }
        }
        return frames;
    }

    private static JsonNode parse(byte[] body, String what) throws Malformed {
        if (body.length == 0) {
            throw new Malformed(what + " is empty: it must be JSON");
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new Malformed(what + " is not JSON");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new Malformed(what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Malformed(what + " could not be read: " + e.getMessage());
        }
    }
}
