package dev.herald.platform.db;

import dev.herald.platform.failure.Causes;
import dev.herald.platform.web.Problems;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import java.util.Optional;
import java.util.Set;
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
     * SQLSTATE classes of errors that say the database cannot do the work right now, not that the work is wrong:
     * connection exception (08), invalid authorization (28: a password being rotated or mistyped), invalid
     * catalog name (3D: no such database), transaction rollback (40: a serialization failure or deadlock),
     * insufficient resources (53), operator intervention (57: the statement timeout, a shutdown, a server still
     * starting) and system error (58). Once they are mended, the same work succeeds.
     */
    private static final Set<String> UNAVAILABLE_CLASSES = Set.of("08", "28", "3D", "40", "53", "57", "58");

    /** {@code lock_not_available}: a {@code lock_timeout} ran out. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /**
     * Whether {@code failure} comes from the database being out of reach or too busy rather than from the work
     * itself, so that the same work may well succeed later. An error PostgreSQL reported counts by its SQLSTATE (the
     * driver files every state it does not know, a trigger's exception or a value too large for an index among
     * them, as a resource failure); one the client met itself counts when it is a lost or refused connection, no free
     * connection in time, or a wait that timed out.
     */
    public static boolean unavailable(Throwable failure) {
        Optional<String> reported = Causes.find(failure, R2dbcException.class)
                .map(R2dbcException::getSqlState)
                .filter(state -> state != null && state.length() == 5);
        if (reported.isPresent()) {
            String state = reported.get();
            return UNAVAILABLE_CLASSES.contains(state.substring(0, 2)) || LOCK_NOT_AVAILABLE.equals(state);
        }
        return Causes.any(
                failure,
                DataAccessResourceFailureException.class,
                TransientDataAccessException.class,
                R2dbcNonTransientResourceException.class,
                R2dbcTransientException.class,
                TimeoutException.class);
    }

    /**
     * SQLSTATEs of text PostgreSQL cannot store: {@code character_not_in_repertoire} (the NUL character in a text
     * value) and {@code untranslatable_character} (a {@code \u0000} escape in a JSONB value).
     */
    private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");

    /** The detail of the answer to a request holding text that {@link #unstorable} says cannot be stored. */
    static final String UNSTORABLE =
            "The request holds the NUL character (\\u0000), which Herald cannot store; send it without one.";

    /**
     * Whether {@code failure} is PostgreSQL refusing text the request brought: the NUL character, which no string
     * member of a body can hold ({@code NulFreeStrings}) but which a query parameter, a member name or a JSON value
     * stored whole still can.
     */
    public static boolean unstorable(Throwable failure) {
        return Causes.find(failure, R2dbcException.class)
                .map(R2dbcException::getSqlState)
                .filter(UNSTORABLE_TEXT::contains)
                .isPresent();
    }

    /** The answer to a request holding {@link #unstorable} text: 400. */
    public static ErrorResponseException unstorableError(Throwable failure) {
        return new ErrorResponseException(
                HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST, UNSTORABLE), failure);
    }

    /** The answer to work that met an {@link #unavailable} database: 503 with {@code Retry-After}. */
    public static ErrorResponseException unavailableError(Throwable failure) {
        return Problems.retryLater(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE, failure);
    }
}
