package dev.realtime.spring.secured;

import dev.realtime.User;
import dev.realtime.spring.RealtimeChannel;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application that signs users in with Spring Security (form login, a session cookie) and defines no
 * Authenticator: the starter takes the user from the security context. The README's Spring Security setup.
 */
@SpringBootApplication
public class SecuredApplication {

    /** The realtime endpoints answer for themselves: 401 without a signed-in user, signatures for the HTTP API. */
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/app/**", "/pusher/**", "/broadcasting/**").permitAll()
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                // a forged cross-site POST to the auth endpoint cannot read the signature it gets back
                .csrf(c -> c.ignoringRequestMatchers("/pusher/**", "/broadcasting/**"))
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                org.springframework.security.core.userdetails.User.withUsername("alice").password("{noop}wonderland")
                        .roles("USER").build());
    }

    /** Each user's own channel. */
    @RealtimeChannel("private-user.{name}")
    boolean ownChannel(User user, String name) {
        return user.id().equals(name);
    }
}
