package dev.herald.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.testkit.Tokens;
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

        SignedJWT jwt = SignedJWT.parse(MintToken.mint(
                file.toString(), "users:read", "templates:read", "--ttl", "10m", "--client", "reporting"));

        assertThat(jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8))))
                .isTrue();
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("users:read templates:read");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("reporting");
        assertThat(Duration.between(
                        Instant.now(), jwt.getJWTClaimsSet().getExpirationTime().toInstant()))
                .isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
        // one that has expired already, to see the 401
        SignedJWT expired = SignedJWT.parse(MintToken.mint(file.toString(), "users:read", "--ttl", "0s"));
        assertThat(expired.getJWTClaimsSet().getExpirationTime().toInstant()).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void argumentsThatAskForNoTokenSayWhatToFix() throws Exception {
        String file =
                Files.writeString(dir.resolve("jwt-secret"), Tokens.newSecret()).toString();

        assertThatThrownBy(MintToken::mint).hasMessageStartingWith("usage: mint-token.sh");
        assertThatThrownBy(() -> MintToken.mint(file, "users:delete"))
                .isInstanceOf(MintToken.Refused.class)
                .hasMessageStartingWith("unknown scope 'users:delete'; Herald's scopes are [")
                .hasMessageContaining("users:write");
        assertThatThrownBy(() -> MintToken.mint(file, "users:read", "--ttl", "soon"))
                .isInstanceOf(MintToken.Refused.class)
                .hasMessage("--ttl takes a duration such as 90s, 10m or 2h, not 'soon'");
        assertThatThrownBy(() -> MintToken.mint(file, "users:read", "--client"))
                .isInstanceOf(MintToken.Refused.class)
                .hasMessage("--client needs a value");
        // an ISO-8601 duration is taken too
        assertThat(SignedJWT.parse(MintToken.mint(file, "users:read", "--ttl", "PT2H"))
                        .getJWTClaimsSet()
                        .getExpirationTime()
                        .toInstant())
                .isAfter(Instant.now().plus(Duration.ofMinutes(119)));
    }
}
