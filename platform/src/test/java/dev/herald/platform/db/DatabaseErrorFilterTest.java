package dev.herald.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

class DatabaseErrorFilterTest {

    private final DatabaseErrorFilter filter = new DatabaseErrorFilter();

    @Test
    void aDatabaseOutOfReachIsA503WithRetryAfter() {
        for (Throwable outage : new Throwable[] {
            new DataAccessResourceFailureException("Failed to obtain R2DBC Connection"),
            new QueryTimeoutException("no connection in time", new R2dbcTimeoutException("acquire")),
            new IllegalStateException("wrapped", new R2dbcTimeoutException("acquire")),
            // what PostgreSQL reports, as the driver files it
            new DataAccessResourceFailureException(
                    "executeMany",
                    new R2dbcNonTransientResourceException("canceling statement due to statement timeout", "57014")),
            new R2dbcNonTransientResourceException("terminating connection due to administrator command", "57P01"),
            new R2dbcNonTransientResourceException("sorry, too many clients already", "53300"),
            new R2dbcNonTransientResourceException("canceling statement due to lock timeout", "55P03"),
            new R2dbcNonTransientResourceException("An I/O error occurred while sending to the backend"),
            new DataAccessResourceFailureException(
                    "Failed to obtain R2DBC Connection",
                    new R2dbcPermissionDeniedException("password authentication failed", "28P01"))
        }) {
            assertThatThrownBy(() -> run(outage)).isInstanceOfSatisfying(ErrorResponseException.class, e -> {
                assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                assertThat(e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
                assertThat(e.getCause()).isSameAs(outage);
            });
        }
    }

    @Test
    void textPostgresqlCannotStoreIsA400() {
        for (Throwable refusal : new Throwable[] {
            new org.springframework.dao.InvalidDataAccessResourceUsageException(
                    "executeMany",
                    new R2dbcBadGrammarException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021")),
            new R2dbcBadGrammarException("unsupported Unicode escape sequence", "22P05")
        }) {
            assertThatThrownBy(() -> run(refusal)).isInstanceOfSatisfying(ErrorResponseException.class, e -> {
                assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
                assertThat(e.getBody().getDetail()).contains("NUL character");
                assertThat(e.getCause()).isSameAs(refusal);
            });
        }
    }

    @Test
    void otherFailuresPassUnchanged() {
        for (Throwable failure : new Throwable[] {
            new DuplicateKeyException("duplicate"),
            new IllegalStateException("bug", new R2dbcBadGrammarException("syntax")),
            new IllegalArgumentException("bad input"),
            // errors the driver files as resource failures, which a retry cannot mend
            new DataAccessResourceFailureException(
                    "executeMany",
                    new R2dbcNonTransientResourceException("index row size exceeds btree maximum", "54000")),
            new R2dbcNonTransientResourceException("raised by a trigger", "P0001")
        }) {
            assertThatThrownBy(() -> run(failure)).isSameAs(failure);
        }
    }

    private void run(Throwable failure) {
        filter.filter(
                        MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/users/u1")),
                        exchange -> Mono.error(failure))
                .block(Duration.ofSeconds(5));
    }
}
