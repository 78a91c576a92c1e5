package dev.realtime.example.social;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Puts a {@link MutableClock} in place of the app's clock. */
@TestConfiguration(proxyBeanMethods = false)
class TestClock {
    @Bean
    @Primary
    MutableClock testClock() {
        return new MutableClock();
    }
}
