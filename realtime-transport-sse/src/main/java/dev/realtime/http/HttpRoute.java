package dev.realtime.http;

/**
 * Where a request below the mount point goes: {@code /app/{key}/{server}/{session}/{mode}} for a
 * session chosen by the client (pusher-js), {@code /app/{key}/{mode}[/{id}]} for one issued by the
 * server.
 *
 * @param appKey    the app key of the path
 * @param mode      the last segment naming the mode ({@code xhr_streaming}, {@code xhr}, {@code xhr_send}, {@code sse}, …)
 * @param sessionId the session's key in the registry ({@code server/session} for pusher-js), or null for a new server-issued session
 */
public record HttpRoute(String appKey, String mode, String sessionId) {
    /** Characters pusher-js's session path uses ({@code randomNumber(1000) + "/" + 8 base-32 characters}), with room to spare. */
    private static final int MAX_SEGMENT = 64;

    /** The route of {@code path}, or null when the path is not of that shape. */
    static HttpRoute parse(String path) {
        if (path == null || !path.startsWith("/app/")) {
            return null;
        }
        String[] parts = path.substring(5).split("/", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.length() > MAX_SEGMENT || !safe(p)) {
                return null;
            }
        }
        return switch (parts.length) {
            case 2 -> new HttpRoute(parts[0], parts[1], null);
            case 3 -> new HttpRoute(parts[0], parts[1], parts[2]);
            case 4 -> new HttpRoute(parts[0], parts[3], parts[1] + "/" + parts[2]);
            default -> null;
        };
    }

    /** Whether this is a pusher-js path ({@code {server}/{session}/{mode}}). */
    public boolean clientChosen() {
        return sessionId != null && sessionId.indexOf('/') >= 0;
    }

    private static boolean safe(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
