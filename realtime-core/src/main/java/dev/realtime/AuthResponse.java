package dev.realtime;

/**
 * The answer of an auth endpoint: an HTTP status and a JSON body. Frameworks write it as is:
 * {@code response.status(r.status()).contentType("application/json").body(r.body())}.
 *
 * @param status 200 on success; 400 bad request, 401 no user, 403 denied, 500 authorizer failure
 * @param body   the JSON body: PROTOCOL.md §3 on success, {@code {"error":"…"}} otherwise
 */
public record AuthResponse(int status, String body) {

    /** Whether the authorization succeeded. */
    public boolean ok() {
        return status == 200;
    }

    /** The reason of a refusal, or null when {@link #ok()}. */
    public String error() {
        if (ok()) {
            return null;
        }
        int start = body.indexOf(":\"");
        return start < 0 ? body : body.substring(start + 2, body.length() - 2).replace("\\\"", "\"");
    }
}
