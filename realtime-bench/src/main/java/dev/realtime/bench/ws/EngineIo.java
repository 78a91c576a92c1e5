package dev.realtime.bench.ws;

import java.nio.charset.StandardCharsets;

/**
 * The few Engine.IO v4 / Socket.IO v5 text packets a room subscriber sees over WebSocket:
 * {@code 0{…}} open, {@code 2} ping (answered with {@code 3}), {@code 40{"sid":…}} namespace connected,
 * {@code 42["event",data]} an event. Classified from the first bytes, so counting events decodes nothing.
 */
public final class EngineIo {
    /** The path a WebSocket-only Socket.IO client opens. */
    public static final String PATH = "/socket.io/?EIO=4&transport=websocket";
    /** Client → server: connect the default namespace. */
    public static final String CONNECT = "40";
    /** Client → server: the answer to a ping. */
    public static final String PONG = "3";

    /** What a text packet is. */
    public enum Packet { OPEN, PING, CONNECTED, EVENT, CONNECT_ERROR, CLOSE, OTHER }

    private EngineIo() {
    }

    /** Classifies a packet from its first two bytes ({@code b1} is -1 for a one-byte packet). */
    public static Packet classify(int b0, int b1) {
        return switch (b0) {
            case '0' -> Packet.OPEN;
            case '1' -> Packet.CLOSE;
            case '2' -> b1 < 0 ? Packet.PING : Packet.OTHER;
            case '4' -> switch (b1) {
                case '0' -> Packet.CONNECTED;
                case '2' -> Packet.EVENT;
                case '4' -> Packet.CONNECT_ERROR;
                default -> Packet.OTHER;
            };
            default -> Packet.OTHER;
        };
    }

    /** Classifies a whole packet. */
    public static Packet classify(String packet) {
        if (packet.isEmpty()) {
            return Packet.OTHER;
        }
        return classify(packet.charAt(0), packet.length() > 1 ? packet.charAt(1) : -1);
    }

    /** The name of a {@code 42["name",…]} event packet, or null if it is not one. */
    public static String eventName(String packet) {
        if (classify(packet) != Packet.EVENT || !packet.startsWith("42[\"")) {
            return null;
        }
        int end = packet.indexOf('"', 4);
        return end < 0 ? null : packet.substring(4, end);
    }

    /** An event packet with one string argument, as the adapter's {@code subscribe} expects. */
    public static byte[] event(String name, String argument) {
        return ("42[\"" + name + "\",\"" + argument + "\"]").getBytes(StandardCharsets.UTF_8);
    }
}
