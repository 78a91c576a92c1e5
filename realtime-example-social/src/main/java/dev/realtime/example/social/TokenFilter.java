package dev.realtime.example.social;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires {@code Authorization: Bearer {token}} on the API (except login and config): 401 JSON without a
 * valid one; otherwise the {@link Viewer} becomes a request attribute and the user counts as seen.
 */
class TokenFilter extends OncePerRequestFilter {
    private static final Set<String> OPEN = Set.of("/api/login", "/api/config");

    private final Tokens tokens;
    private final LastSeen lastSeen;

    TokenFilter(Tokens tokens, LastSeen lastSeen) {
        this.tokens = tokens;
        this.lastSeen = lastSeen;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return OPEN.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Viewer> viewer = tokens.resolve(bearer(request.getHeader("Authorization")));
        if (viewer.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer");
            ApiErrors.write(response, 401, "sign in first: send Authorization: Bearer {token} from POST /api/login");
            return;
        }
        request.setAttribute(Viewer.ATTRIBUTE, viewer.get());
        lastSeen.seen(viewer.get().id());
        chain.doFilter(request, response);
    }

    static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }
}
