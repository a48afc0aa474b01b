package dev.herald.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.testkit.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MintTokenTest {

    @TempDir
    Path dir;

    @Test
    void mintsATokenWithTheScopesClientAndLifetimeAskedForSignedWithTheStacksSecret() throws Exception {
        String secret = Tokens.newSecret();
        Path file = Files.writeString(dir.resolve("jwt-secret"), secret + "\n");

        SignedJWT jwt = SignedJWT.parse(
                mint(file.toString(), "users:read", "templates:read", "--ttl", "10m", "--client", "reporting"));

        assertThat(jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8))))
                .isTrue();
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("users:read templates:read");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("reporting");
        assertThat(Duration.between(
                        Instant.now(), jwt.getJWTClaimsSet().getExpirationTime().toInstant()))
                .isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
        // one that has expired already, to see the 401
        SignedJWT expired = SignedJWT.parse(mint(file.toString(), "users:read", "--ttl", "0s"));
        assertThat(expired.getJWTClaimsSet().getExpirationTime().toInstant()).isBeforeOrEqualTo(Instant.now());
    }

    private static String mint(String... args) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            MintToken.main(args);
        } finally {
            System.setOut(out);
        }
        return printed.toString(StandardCharsets.UTF_8).strip();
    }
}
