package dev.herald.ingest.guard;

import dev.herald.platform.failure.Causes;
import org.springframework.dao.DataAccessException;

/** Whether a failure came from Redis being unreachable or failing, rather than from the request. */
final class RedisFailure {

    private RedisFailure() {}

    static boolean is(Throwable e) {
        return Causes.any(
                e,
                DataAccessException.class,
                io.lettuce.core.RedisException.class,
                java.util.concurrent.TimeoutException.class);
    }
}
