package dev.realtime.server;

import dev.realtime.AuthRequest;
import java.util.Map;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;

/**
 * An {@link AuthRequest} over a Jetty core request: its headers, cookies and remote address, and
 * the parameters of its body (form or JSON) and query string, body first.
 */
final class JettyAuthRequest implements AuthRequest {
    private final Request request;
    private final Map<String, String> parameters;

    JettyAuthRequest(Request request, Map<String, String> parameters) {
        this.request = request;
        this.parameters = parameters;
    }

    @Override
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public String cookie(String name) {
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (cookie.getName().equals(name)) {
                return cookie.getValue();
            }
        }
        return null;
    }

    @Override
    public String parameter(String name) {
        return parameters.get(name);
    }

    @Override
    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }
}
