package dev.realtime.example.social;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/login}: a demo user's username and password for an API token. */
@RestController
class AuthController {
    /** The login form. */
    record LoginRequest(String username, String password) {
    }

    static final BCryptPasswordEncoder PASSWORDS = new BCryptPasswordEncoder();
    // compared against when the username is unknown, so both failures take as long
    private static final String NO_SUCH_USER = PASSWORDS.encode("no such user");

    private final Users users;
    private final Tokens tokens;

    AuthController(Users users, Tokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @PostMapping("/api/login")
    ResponseEntity<Map<String, Object>> login(@RequestBody LoginRequest request) {
        if (request.username() == null || request.username().isBlank()) {
            throw ApiException.invalid("username", "username is required");
        }
        if (request.password() == null) {
            throw ApiException.invalid("password", "password is required");
        }
        var login = users.login(request.username().trim().toLowerCase(java.util.Locale.ROOT));
        boolean matches = PASSWORDS.matches(request.password(), login.map(Users.Login::passwordHash).orElse(NO_SUCH_USER));
        if (login.isEmpty() || !matches) {
            return ResponseEntity.status(401).body(ApiErrors.body("wrong username or password", null));
        }
        Users.Login user = login.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", tokens.issue(user.id()));
        body.put("user", Map.of("id", user.id(), "name", user.name(), "username", user.username()));
        return ResponseEntity.ok(body);
    }
}
