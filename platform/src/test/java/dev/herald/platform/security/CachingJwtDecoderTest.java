package dev.herald.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

class CachingJwtDecoderTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private final AtomicInteger verifications = new AtomicInteger();

    @Test
    void aTokenIsVerifiedOnceWhileItIsValidAndAgainOnceItExpired() {
        Instant expiresAt = NOW.plusSeconds(30);
        CachingJwtDecoder decoder = new CachingJwtDecoder(
                token -> {
                    verifications.incrementAndGet();
                    return Mono.just(jwt(token, expiresAt));
                },
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(decoder.decode("a").block().getSubject()).isEqualTo("client-a");
        assertThat(decoder.decode("a").block().getSubject()).isEqualTo("client-a");
        assertThat(decoder.decode("b").block().getSubject()).isEqualTo("client-b");
        assertThat(verifications).hasValue(2);

        CachingJwtDecoder later = new CachingJwtDecoder(
                token -> {
                    verifications.incrementAndGet();
                    return Mono.error(new BadJwtException("expired"));
                },
                Clock.fixed(expiresAt.plus(Duration.ofSeconds(61)), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.decode("a").block()).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> later.decode("a").block()).isInstanceOf(BadJwtException.class);
        assertThat(verifications).as("failures are not remembered").hasValue(4);
    }

    @Test
    void aCachedTokenPastItsExpiryIsVerifiedAgain() {
        MovableClock clock = new MovableClock();
        CachingJwtDecoder decoder = new CachingJwtDecoder(
                token -> {
                    verifications.incrementAndGet();
                    return verifications.get() == 1
                            ? Mono.just(jwt(token, NOW.plusSeconds(10)))
                            : Mono.error(new BadJwtException("expired"));
                },
                clock);

        decoder.decode("a").block();
        clock.now = NOW.plusSeconds(69);
        decoder.decode("a").block();
        clock.now = NOW.plusSeconds(71);
        assertThatThrownBy(() -> decoder.decode("a").block()).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(2);
    }

    private static Jwt jwt(String token, Instant expiresAt) {
        return Jwt.withTokenValue(token)
                .header("alg", "HS256")
                .subject("client-" + token)
                .issuedAt(NOW.minusSeconds(60))
                .expiresAt(expiresAt)
                .build();
    }

    private static final class MovableClock extends Clock {
        Instant now = NOW;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
