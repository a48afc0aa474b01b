package dev.herald.ingest.guard;

import org.springframework.dao.DataAccessException;

/** Whether a failure came from Redis being unreachable or failing, rather than from the request. */
final class RedisFailure {

    private RedisFailure() {}

    static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataAccessException
                    || t instanceof io.lettuce.core.RedisException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
