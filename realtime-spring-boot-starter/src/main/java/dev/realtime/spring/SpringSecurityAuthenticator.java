package dev.realtime.spring;

import dev.realtime.AuthRequest;
import dev.realtime.Authenticator;
import dev.realtime.User;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The user behind an auth-endpoint request from Spring Security's authenticated principal (the
 * request's {@code SecurityContext}, so the endpoint must sit behind the security filter chain);
 * anonymous when there is none. The starter uses it when Spring Security is present and the
 * application defines no {@link Authenticator} bean; define one with your own mapping to give
 * members a name or avatar: {@code new SpringSecurityAuthenticator(a -> User.of(a.getName(), Map.of("name", …)))}.
 */
public final class SpringSecurityAuthenticator implements Authenticator {
    private final Function<Authentication, User> toUser;

    /** Users with the principal's name as id and as {@code name} in their info. */
    public SpringSecurityAuthenticator() {
        this(a -> User.of(a.getName(), Map.of("name", a.getName())));
    }

    /** Users made by {@code toUser} from the authenticated principal (null: anonymous). */
    public SpringSecurityAuthenticator(Function<Authentication, User> toUser) {
        this.toUser = Objects.requireNonNull(toUser, "toUser");
    }

    @Override
    public User authenticate(AuthRequest request) {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a == null || !a.isAuthenticated() || a instanceof AnonymousAuthenticationToken) {
            return null;
        }
        return toUser.apply(a);
    }
}
