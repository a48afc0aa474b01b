package dev.herald.testkit;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;

/** Checks on an app's R2DBC connection pool. */
public final class ConnectionPools {

    private ConnectionPools() {}

    /**
     * Waits up to 5 s until every connection of {@code connections} (an R2DBC pool) is back in the pool; fails if
     * one is still held. Run after a test: a leaked connection hangs later requests once the pool is empty.
     */
    public static void awaitAllReturned(ConnectionFactory connections) {
        ConnectionFactory current = connections;
        while (!(current instanceof ConnectionPool)
                && current instanceof Wrapped<?> wrapped
                && wrapped.unwrap() instanceof ConnectionFactory inner) {
            current = inner;
        }
        if (!(current instanceof ConnectionPool connectionPool)) {
            throw new IllegalStateException("not an R2DBC connection pool: " + connections);
        }
        PoolMetrics pool =
                connectionPool.getMetrics().orElseThrow(() -> new IllegalStateException("the pool keeps no metrics"));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (pool.acquiredSize() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(pool.acquiredSize() + " database connection(s) still held after the test");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
