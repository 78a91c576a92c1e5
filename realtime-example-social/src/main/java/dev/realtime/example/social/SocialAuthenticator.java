package dev.realtime.example.social;

import dev.realtime.AuthRequest;
import dev.realtime.Authenticator;
import dev.realtime.User;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The user behind /broadcasting/auth: the same bearer token as the API (the page sends it through Echo's auth headers). */
@Component
class SocialAuthenticator implements Authenticator {
    private final Tokens tokens;

    SocialAuthenticator(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public User authenticate(AuthRequest request) {
        return tokens.resolve(request.bearerToken())
                .map(v -> User.of(Long.toString(v.id()), Map.of("name", v.name(), "username", v.username(), "avatar", v.avatar())))
                .orElse(null);
    }
}
