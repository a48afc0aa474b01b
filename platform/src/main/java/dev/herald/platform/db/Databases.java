package dev.herald.platform.db;

import dev.herald.platform.failure.Causes;
import dev.herald.platform.web.Problems;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** What a database failure means for the work that met it. */
public final class Databases {

    /** The detail of the answer to work the database was not there for. */
    static final String UNAVAILABLE = "The database is not available right now; retry the request.";

    private Databases() {}

    /**
     * Whether {@code failure} comes from the database being out of reach or too busy (no connection, a connection
     * lost, no free connection in time, a deadlock that outlived its retries, a wait for the database that timed
     * out) rather than from the work itself: the same work may well succeed later.
     */
    public static boolean unavailable(Throwable failure) {
        return Causes.any(
                failure,
                DataAccessResourceFailureException.class,
                TransientDataAccessException.class,
                R2dbcNonTransientResourceException.class,
                R2dbcTransientException.class,
                TimeoutException.class);
    }

    /** The answer to work that met an {@link #unavailable} database: 503 with {@code Retry-After}. */
    public static ErrorResponseException unavailableError(Throwable failure) {
        return Problems.retryLater(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE, failure);
    }
}
