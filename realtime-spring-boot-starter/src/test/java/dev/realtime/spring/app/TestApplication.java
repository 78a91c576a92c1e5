package dev.realtime.spring.app;

import dev.realtime.Authenticator;
import dev.realtime.ChannelAuthorizer;
import dev.realtime.User;
import dev.realtime.spring.RealtimeChannel;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A Spring Boot application as a user of the starter writes one: an Authenticator bean (the bearer
 * token is the user id, for the tests), @RealtimeChannel methods ({@link ChannelRules}), a plain
 * ChannelAuthorizer bean, and a controller that broadcasts ({@link MessagesController}).
 */
@SpringBootApplication
public class TestApplication {

    /** Bearer token = user id; no token, no user. */
    @Bean
    Authenticator authenticator() {
        return request -> {
            String token = request.bearerToken();
            return token == null ? null : User.of(token, Map.of("name", "User " + token));
        };
    }

    /**
     * Spring Security is on the test class path; this application signs users in by bearer token
     * (its Authenticator), so its chain lets every request through and needs no CSRF token (no cookies).
     */
    @Bean
    SecurityFilterChain openChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).csrf(c -> c.disable()).build();
    }

    /** A plain ChannelAuthorizer bean, given its pattern on the @Bean method: every signed-in user may join a team. */
    @Bean
    @RealtimeChannel("private-team.{team}")
    ChannelAuthorizer teamAuthorizer() {
        return (user, channel) -> true;
    }
}
