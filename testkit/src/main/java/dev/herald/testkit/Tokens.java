package dev.herald.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/** Mints HS256 bearer tokens that Herald's APIs accept when configured with the same HMAC secret. */
public final class Tokens {

    /** Every scope Herald's APIs know. */
    public static final List<String> ALL_SCOPES = List.of(
            "notifications:write",
            "notifications:read",
            "users:write",
            "users:read",
            "templates:write",
            "templates:read");

    private Tokens() {}

    /** A random secret long enough for HS256. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A token for {@code clientId} with {@code scopes}, valid for {@code ttl}. */
    public static String mint(String secret, String clientId, List<String> scopes, Duration ttl) {
        return mint(secret, clientId, clientId, scopes, ttl);
    }

    /**
     * A token issued to {@code clientId} (its {@code client_id} claim; none when {@code null}) for {@code subject},
     * say a user acting through the client, with {@code scopes}, valid for {@code ttl}.
     */
    public static String mint(String secret, String clientId, String subject, List<String> scopes, Duration ttl) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("client_id", clientId)
                .claim("scope", String.join(" ", scopes))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with this secret: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
