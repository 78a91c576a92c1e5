package dev.realtime.spring.autoconfigure;

import dev.realtime.PusherHttpApi;
import dev.realtime.Realtime;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Pusher HTTP API ({@code /apps/{id}/…}, {@link PusherHttpApi}) as a servlet, for Pusher server SDKs
 * publishing into the application. A request is authenticated from its path and query before its body
 * is read; an unauthenticated or oversized one is answered at once and its connection closed.
 */
final class PusherHttpApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient PusherHttpApi api;
    private final int maxBodyBytes;

    PusherHttpApiServlet(Realtime realtime, int maxBodyBytes) {
        this.api = new PusherHttpApi(realtime);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        Map<String, String> query;
        try {
            query = query(request.getQueryString());
        } catch (IllegalArgumentException e) {
            write(response, 400, error("the query string cannot be decoded: " + e.getMessage()), null, hasBody);
            return;
        }
        PusherHttpApi.Call call = api.open(request.getMethod(), path, query);
        PusherHttpApi.Answer refusal = call.refusal();
        if (refusal != null) {
            write(response, refusal.status(), refusal.body(), refusal.allow(), hasBody); // body left unread
            return;
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            write(response, 413, error("the request body is larger than " + maxBodyBytes + " bytes"), null, true);
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBodyBytes + 1);
        }
        if (body.length > maxBodyBytes) {
            write(response, 413, error("the request body is larger than " + maxBodyBytes + " bytes"), null, true);
            return;
        }
        PusherHttpApi.Answer answer = call.complete(body);
        write(response, answer.status(), answer.body(), null, false);
    }

    private static void write(HttpServletResponse response, int status, String body, String allow, boolean close)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        if (allow != null) {
            response.setHeader("Allow", allow);
        }
        if (close) {
            response.setHeader("Connection", "close");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String error(String message) {
        return AuthEndpointHandler.errorBody(message);
    }

    /** The query's parameters, decoded, first value of each (the signature covers them as sent). */
    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }
}
