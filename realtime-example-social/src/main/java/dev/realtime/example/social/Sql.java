package dev.realtime.example.social;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Instants to and from TIMESTAMP WITH TIME ZONE columns, the same on H2 and PostgreSQL. */
final class Sql {
    private Sql() {
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** ISO-8601 text for JSON (both Jackson versions in play write it the same way). */
    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
