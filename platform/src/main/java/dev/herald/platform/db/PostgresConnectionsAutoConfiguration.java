package dev.herald.platform.db;

import dev.herald.platform.net.SilentPeer;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import reactor.netty.tcp.TcpResources;

/**
 * Bounds on the waits of apps that reach PostgreSQL through R2DBC ({@link DatabaseProperties}): PostgreSQL cancels
 * a statement that runs past the statement timeout, and a connection whose server stopped answering is dropped
 * after the network timeout. Either way the work on it fails, and a request gets 503 ({@link
 * DatabaseErrorFilter}), instead of waiting; the R2DBC driver has no client-side timeout of its own.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration")
@ConditionalOnClass({PostgresqlConnectionFactoryProvider.class, ConnectionFactoryOptionsBuilderCustomizer.class})
@EnableConfigurationProperties(DatabaseProperties.class)
public class PostgresConnectionsAutoConfiguration {

    @Bean
    ConnectionFactoryOptionsBuilderCustomizer heraldPostgresTimeouts(DatabaseProperties properties) {
        return builder -> {
            ConnectionFactoryOptions given = builder.build();
            if (!postgres(given)) {
                return;
            }
            if (!given.hasOption(PostgresqlConnectionFactoryProvider.STATEMENT_TIMEOUT)
                    && !inServerOptions(given, "statement_timeout")) {
                builder.option(PostgresqlConnectionFactoryProvider.STATEMENT_TIMEOUT, properties.statementTimeout());
            }
            if (!given.hasOption(PostgresqlConnectionFactoryProvider.TCP_KEEPALIVE)) {
                builder.option(PostgresqlConnectionFactoryProvider.TCP_KEEPALIVE, true);
            }
            if (!given.hasOption(PostgresqlConnectionFactoryProvider.LOOP_RESOURCES)) {
                builder.option(
                        PostgresqlConnectionFactoryProvider.LOOP_RESOURCES,
                        new NetworkTimeoutLoopResources(
                                TcpResources::get, new SilentPeer(properties.networkTimeout())));
            }
        };
    }

    /** Whether the server settings given with the connection ({@code options=…}) set {@code setting}. */
    private static boolean inServerOptions(ConnectionFactoryOptions options, String setting) {
        return switch (options.getValue(PostgresqlConnectionFactoryProvider.OPTIONS)) {
            case Map<?, ?> settings -> settings.containsKey(setting);
            case CharSequence settings -> settings.toString().contains(setting);
            case null, default -> false;
        };
    }

    /** Whether {@code options} are for PostgreSQL ({@code r2dbc:postgresql:…}, or pooled: {@code r2dbc:pool:postgresql:…}). */
    private static boolean postgres(ConnectionFactoryOptions options) {
        Object driver = options.getValue(ConnectionFactoryOptions.DRIVER);
        if ("pool".equals(driver) && options.getValue(ConnectionFactoryOptions.PROTOCOL) instanceof String protocol) {
            driver = protocol.split(":", 2)[0];
        }
        return "postgresql".equals(driver) || "postgres".equals(driver);
    }
}
