package dev.herald.platform.db;

import dev.herald.platform.failure.Causes;
import dev.herald.platform.failure.Throttle;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Answers a request whose work failed because the database was out of reach ({@link Databases#unavailable}) with
 * 503 and {@code Retry-After}, not 500: the request was fine and may succeed when sent again. A write is one
 * transaction with its outbox row, so it took effect whole or not at all (it may have, when the connection was
 * lost during its commit; PUT, PATCH and DELETE repeat harmlessly). A request whose text PostgreSQL cannot store
 * ({@link Databases#unstorable}) gets 400, not 500: it is the request that must change.
 */
public class DatabaseErrorFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(DatabaseErrorFilter.class);

    private final Throttle warnings = new Throttle(Duration.ofSeconds(10));

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange)
                .onErrorMap(Databases::unavailable, e -> {
                    if (warnings.tryPass()) {
                        log.warn(
                                "Answering 503 while the database is not available (logged at most every 10 s): {}",
                                Causes.describe(e));
                    }
                    return Databases.unavailableError(e);
                })
                .onErrorMap(Databases::unstorable, Databases::unstorableError);
    }

    /** Inside every other filter, so the 503 is what they see too. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
