package dev.realtime.example.social;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.realtime.spi.BrokerServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The databases the tests run on: a fresh in-memory H2 per app, or a fresh schema in the local PostgreSQL
 * (127.0.0.1:5432, database test, user postgres). PostgreSQL must be there when CI is set; elsewhere its
 * tests are skipped with a message when it is not.
 */
final class Databases {
    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private Databases() {
    }

    static String h2() {
        return "jdbc:h2:mem:social-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    }

    /** Creates a schema of its own and returns the JDBC URL that uses it; skips (or fails in CI) without PostgreSQL. */
    static String postgresSchema(String prefix) {
        String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at " + POSTGRES + " (" + e.getMessage() + "); "
                    + ".ci/run starts it; locally: pg_ctlcluster $(ls /etc/postgresql) main start";
            if (BrokerServers.onCi()) {
                fail(message + " — CI is set, so the PostgreSQL tests fail rather than skip");
            }
            assumeTrue(false, message + " — skipped because CI is not set");
        }
        return POSTGRES + "&currentSchema=" + schema;
    }

    /** Drops the schema of a URL from {@link #postgresSchema}. */
    static void dropPostgresSchema(String url) {
        if (url == null) {
            return;
        }
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            System.err.println("could not drop schema " + schema + ": " + e.getMessage());
        }
    }
}
