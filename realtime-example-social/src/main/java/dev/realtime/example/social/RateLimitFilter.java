package dev.realtime.example.social;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most {@code social.rate-limit-per-minute} API requests per user in each clock minute (a fixed
 * window, this node's count): past it, 429 JSON with {@code Retry-After} until the next minute.
 */
class RateLimitFilter extends OncePerRequestFilter {
    private record Window(long minute, AtomicInteger count) {
    }

    private static final int MAX_USERS = 100_000;

    private final Clock clock;
    private final int perMinute;
    private final Map<Long, Window> windows = new ConcurrentHashMap<>();

    RateLimitFilter(Clock clock, int perMinute) {
        this.clock = clock;
        this.perMinute = perMinute;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Object viewer = request.getAttribute(Viewer.ATTRIBUTE);
        if (viewer instanceof Viewer v) {
            long millis = clock.millis();
            long minute = millis / 60_000;
            if (windows.size() > MAX_USERS) {
                windows.values().removeIf(w -> w.minute() != minute); // past windows count for nothing
            }
            Window window = windows.compute(v.id(), (id, w) -> w == null || w.minute() != minute
                    ? new Window(minute, new AtomicInteger()) : w);
            if (window.count().incrementAndGet() > perMinute) {
                long retryAfter = Math.max(1, ((minute + 1) * 60_000 - millis + 999) / 1000);
                response.setHeader("Retry-After", String.valueOf(retryAfter));
                ApiErrors.write(response, 429, "too many requests: " + perMinute + " a minute per user; retry after "
                        + retryAfter + " s");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
