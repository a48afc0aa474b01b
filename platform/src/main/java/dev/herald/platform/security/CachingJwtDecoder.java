package dev.herald.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Remembers the tokens {@code delegate} verified, so a client sending the same bearer token with every request
 * pays for parsing and signature checking once rather than on each request. A token is only ever taken from
 * the cache while it is unexpired (with the same 60 s of clock skew Spring Security's validator allows), and
 * entries go after five minutes, so a token is never accepted longer than the delegate would accept it, and
 * a key rotation or revocation of the verifier's keys takes effect within five minutes. Failures are not
 * cached.
 */
final class CachingJwtDecoder implements ReactiveJwtDecoder {

    private static final Duration SKEW = Duration.ofSeconds(60);

    private final ReactiveJwtDecoder delegate;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    CachingJwtDecoder(ReactiveJwtDecoder delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(Duration.ofMinutes(5))
                .build();
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = verified.getIfPresent(token);
        if (known != null && unexpired(known)) {
            return Mono.just(known);
        }
        return delegate.decode(token).doOnNext(jwt -> verified.put(token, jwt));
    }

    private boolean unexpired(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        return expiresAt == null || clock.instant().isBefore(expiresAt.plus(SKEW));
    }
}
