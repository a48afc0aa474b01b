package dev.herald.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's PostgreSQL server (trust authentication on localhost), as tests and devstack use it.
 *
 * @param host server host
 * @param port server port
 * @param user role to connect as
 */
public record Postgres(String host, int port, String user) {

    /** The local server on 127.0.0.1:5432 as {@code postgres}, overridable with {@code HERALD_PG_*}. */
    public static Postgres local() {
        return new Postgres(
                env("HERALD_PG_HOST", "127.0.0.1"),
                Integer.parseInt(env("HERALD_PG_PORT", "5432")),
                env("HERALD_PG_USER", "postgres"));
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String r2dbcUrl(String database, String schema) {
        return "r2dbc:postgresql://" + host + ":" + port + "/" + database + "?schema=" + schema;
    }

    /** Creates {@code database} unless it exists. */
    public void ensureDatabase(String database) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, "");
                Statement statement = connection.createStatement()) {
            var exists = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'");
            if (!exists.next()) {
                statement.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot reach PostgreSQL at " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Drops {@code schema} of {@code database} with everything in it, so the next start migrates afresh. */
    public void dropSchema(String database, String schema) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(database), user, "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS \"" + schema.replace("\"", "\"\"") + "\" CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops the schemas {@code <name>_<pid>} of {@code database} whose process is no longer running: what test
     * runs that ended left behind.
     */
    public void dropSchemasOfEndedRuns(String database, String name) {
        List<String> ended = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl(database), user, "");
                PreparedStatement query =
                        connection.prepareStatement("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ?)")) {
            query.setString(1, name + "_");
            ResultSet schemas = query.executeQuery();
            while (schemas.next()) {
                String suffix = schemas.getString(1).substring(name.length() + 1);
                if (suffix.matches("\\d{1,18}")
                        && ProcessHandle.of(Long.parseLong(suffix)).isEmpty()) {
                    ended.add(schemas.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list schemas of " + database + ": " + e.getMessage(), e);
        }
        ended.forEach(schema -> dropSchema(database, schema));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
