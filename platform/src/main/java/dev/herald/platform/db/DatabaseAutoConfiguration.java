package dev.herald.platform.db;

import dev.herald.platform.web.ProblemResponses;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * For web apps that own an R2DBC database: a database out of reach is a 503, not a 500, and documented so; text
 * PostgreSQL cannot store is a 400 ({@link DatabaseErrorFilter}).
 */
@AutoConfiguration(afterName = "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration")
@ConditionalOnClass(name = {"org.springframework.r2dbc.core.DatabaseClient", "io.r2dbc.spi.ConnectionFactory"})
@ConditionalOnBean(type = "io.r2dbc.spi.ConnectionFactory")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class DatabaseAutoConfiguration {

    @Bean
    DatabaseErrorFilter databaseErrorFilter() {
        return new DatabaseErrorFilter();
    }

    @Bean
    ProblemResponses databaseUnavailableProblemResponses() {
        return new ProblemResponses(
                "/api/",
                Map.of("503", "The database is not available right now; retry after `Retry-After` seconds"),
                operation -> true);
    }
}
