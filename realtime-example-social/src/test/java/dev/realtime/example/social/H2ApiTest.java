package dev.realtime.example.social;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The API suite on the embedded database the app uses by default (H2 in PostgreSQL mode). */
class H2ApiTest extends ApiContract {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Databases::h2);
    }
}
