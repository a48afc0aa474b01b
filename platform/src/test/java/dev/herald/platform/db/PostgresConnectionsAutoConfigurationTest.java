package dev.herald.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class PostgresConnectionsAutoConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PostgresConnectionsAutoConfiguration.class));

    @Test
    void postgresConnectionsGetTheStatementTimeoutAndSocketsThatNoticeASilentServer() {
        context.run(app -> {
            ConnectionFactoryOptions options = customized(
                    app.getBean(ConnectionFactoryOptionsBuilderCustomizer.class),
                    "r2dbc:postgresql://localhost:5432/herald?schema=user_api");
            assertThat(options.getValue(PostgresqlConnectionFactoryProvider.STATEMENT_TIMEOUT))
                    .isEqualTo(Duration.ofSeconds(10));
            assertThat(options.getValue(PostgresqlConnectionFactoryProvider.TCP_KEEPALIVE))
                    .isEqualTo(true);
            assertThat(options.getValue(PostgresqlConnectionFactoryProvider.LOOP_RESOURCES))
                    .isInstanceOf(NetworkTimeoutLoopResources.class);
            assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo("herald");
        });
    }

    @Test
    void theTimeoutIsConfigurableAndSettingsGivenWithTheConnectionWin() {
        context.withPropertyValues("herald.database.statement-timeout=250ms").run(app -> {
            ConnectionFactoryOptionsBuilderCustomizer customizer =
                    app.getBean(ConnectionFactoryOptionsBuilderCustomizer.class);
            assertThat(customized(customizer, "r2dbc:pool:postgresql://localhost/herald")
                            .getValue(PostgresqlConnectionFactoryProvider.STATEMENT_TIMEOUT))
                    .isEqualTo(Duration.ofMillis(250));
            assertThat(customized(customizer, "r2dbc:postgresql://localhost/herald?statementTimeout=PT1M")
                            .getValue(PostgresqlConnectionFactoryProvider.STATEMENT_TIMEOUT))
                    .isEqualTo("PT1M");
            assertThat(customized(customizer, "r2dbc:postgresql://localhost/herald?options=statement_timeout%3D1min")
                            .hasOption(PostgresqlConnectionFactoryProvider.STATEMENT_TIMEOUT))
                    .isFalse();
            assertThat(customized(customizer, "r2dbc:postgresql://localhost/herald?tcpKeepAlive=false")
                            .getValue(PostgresqlConnectionFactoryProvider.TCP_KEEPALIVE))
                    .isEqualTo("false");
        });
    }

    @Test
    void otherDatabasesAreLeftAlone() {
        context.run(app -> {
            ConnectionFactoryOptions options =
                    customized(app.getBean(ConnectionFactoryOptionsBuilderCustomizer.class), "r2dbc:h2:mem:///herald");
            assertThat(options.hasOption(PostgresqlConnectionFactoryProvider.STATEMENT_TIMEOUT))
                    .isFalse();
            assertThat(options.hasOption(PostgresqlConnectionFactoryProvider.LOOP_RESOURCES))
                    .isFalse();
        });
    }

    @Test
    void aTimeoutBelowItsMinimumStopsTheAppFromStarting() {
        context.withPropertyValues("herald.database.network-timeout=0s")
                .run(app -> assertThat(app).hasFailed());
    }

    private static ConnectionFactoryOptions customized(
            ConnectionFactoryOptionsBuilderCustomizer customizer, String url) {
        ConnectionFactoryOptions.Builder builder =
                ConnectionFactoryOptions.parse(url).mutate();
        customizer.customize(builder);
        return builder.build();
    }
}
