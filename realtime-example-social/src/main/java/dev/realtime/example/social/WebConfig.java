package dev.realtime.example.social;

import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API's filters, in order: the bearer token, then the per-user rate limit. */
@Configuration(proxyBeanMethods = false)
class WebConfig {

    @Bean
    FilterRegistrationBean<TokenFilter> tokenFilter(Tokens tokens, LastSeen lastSeen) {
        FilterRegistrationBean<TokenFilter> registration = new FilterRegistrationBean<>(new TokenFilter(tokens, lastSeen));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(Clock clock, SocialProperties properties) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(clock, properties.rateLimitPerMinute()));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(2);
        return registration;
    }
}
