package dev.realtime.example.social;

import dev.realtime.Realtime;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/config}: what the page gives laravel-echo. The host and port are the ones the browser
 * used, since the realtime endpoints share the app's port.
 */
@RestController
class ConfigController {
    private final Realtime realtime;
    private final String channelAuthPath;
    private final String userAuthPath;
    private final String httpPath;

    ConfigController(Realtime realtime, @Value("${realtime.auth.channel-path:/broadcasting/auth}") String channelAuthPath,
            @Value("${realtime.auth.user-path:/broadcasting/user-auth}") String userAuthPath,
            @Value("${realtime.http.path:/pusher}") String httpPath) {
        this.realtime = realtime;
        this.channelAuthPath = channelAuthPath;
        this.userAuthPath = userAuthPath;
        this.httpPath = httpPath;
    }

    @GetMapping("/api/config")
    Map<String, Object> config(HttpServletRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", realtime.app().key());
        body.put("wsHost", request.getServerName());
        body.put("wsPort", request.getServerPort());
        body.put("forceTLS", request.isSecure());
        body.put("authEndpoint", channelAuthPath);
        body.put("userAuthEndpoint", userAuthPath);
        // beyond the list: where pusher-js finds the HTTP fallbacks when WebSocket is unavailable
        body.put("httpPath", httpPath);
        body.put("enabledTransports", List.of("ws", "xhr_streaming", "xhr_polling"));
        return body;
    }
}
