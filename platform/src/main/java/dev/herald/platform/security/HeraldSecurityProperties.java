package dev.herald.platform.security;

import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How Herald's APIs check bearer tokens. Either an HMAC secret shared with the token issuer ({@code
 * herald.security.jwt.hmac-secret}), or Spring Boot's standard {@code
 * spring.security.oauth2.resourceserver.jwt.jwk-set-uri} / {@code issuer-uri}.
 *
 * @param jwt JWT settings
 * @param publicPaths further path patterns open without a token (only for local tooling, e.g. the ingest
 *     benchmark's baseline endpoint)
 */
@Validated
@ConfigurationProperties("herald.security")
public record HeraldSecurityProperties(Jwt jwt, java.util.List<String> publicPaths) {

    public HeraldSecurityProperties {
        jwt = jwt == null ? new Jwt(null) : jwt;
        publicPaths = publicPaths == null ? java.util.List.of() : java.util.List.copyOf(publicPaths);
    }

    /**
     * @param hmacSecret secret for HS256-signed tokens, at least 32 characters; unset to use a JWK set
     */
    public record Jwt(
            @Size(min = 32, message = "must be at least 32 characters for HS256") String hmacSecret) {}
}
