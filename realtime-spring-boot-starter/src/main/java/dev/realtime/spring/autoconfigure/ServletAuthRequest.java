package dev.realtime.spring.autoconfigure;

import dev.realtime.AuthRequest;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

/** An auth-endpoint request as the {@code Authenticator} sees it: the servlet request and its parsed body fields. */
final class ServletAuthRequest implements AuthRequest {
    private final HttpServletRequest request;
    private final Map<String, String> fields;

    ServletAuthRequest(HttpServletRequest request, Map<String, String> fields) {
        this.request = request;
        this.fields = fields;
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public String cookie(String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (c.getName().equals(name)) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    @Override
    public String parameter(String name) {
        String value = fields.get(name);
        return value != null ? value : request.getParameter(name);
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }
}
