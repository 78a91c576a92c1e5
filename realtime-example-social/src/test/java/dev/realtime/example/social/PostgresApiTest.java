package dev.realtime.example.social;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The API suite on PostgreSQL, in a schema of its own; skipped with a message when PostgreSQL is down, unless CI is set. */
class PostgresApiTest extends ApiContract {
    private static String url;

    @BeforeAll
    static void createSchema() {
        url = Databases.postgresSchema("social_api");
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> url);
    }

    @AfterAll
    static void dropSchema() {
        Databases.dropPostgresSchema(url);
    }
}
