package dev.herald.platform.db;

import java.time.Duration;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** Database transactions that are tried again when PostgreSQL aborts them to break a deadlock. */
public final class Transactions {

    private Transactions() {}

    /**
     * Runs {@code work} in a transaction of {@code tx}; a transaction PostgreSQL chose as a deadlock's victim
     * (or another transient failure) is redone from the start, up to three times.
     */
    public static <T> Mono<T> retrying(TransactionalOperator tx, Mono<T> work) {
        return tx.transactional(work)
                .retryWhen(Retry.backoff(3, Duration.ofMillis(20))
                        .filter(e -> e instanceof PessimisticLockingFailureException
                                || e instanceof TransientDataAccessException)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }
}
