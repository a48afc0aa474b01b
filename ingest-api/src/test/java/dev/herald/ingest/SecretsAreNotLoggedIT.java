package dev.herald.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Neither the token-signing secret nor a bearer token reaches the log, with Herald's and Spring Security's debug
 * logging and Spring's request tracing on: from the app's start (the capture begins before the context loads) through accepted, refused and
 * unreadable requests. Nor does an actuator endpoint that would show the configuration answer.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "logging.level.dev.herald=DEBUG",
            "logging.level.org.springframework.security=DEBUG",
            // where Spring logs each request's headers: masked unless spring.http.codecs.log-request-details is on
            "logging.level.org.springframework.web=TRACE"
        })
@AutoConfigureWebTestClient
class SecretsAreNotLoggedIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
    }

    @Autowired
    WebTestClient http;

    @Test
    void noSecretOrTokenIsLogged(CapturedOutput output) {
        String writer = TestInfrastructure.token("notifications:write");
        String reader = TestInfrastructure.token("notifications:read");
        String expired = Tokens.mint(
                TestInfrastructure.JWT_SECRET, "test-client", List.of("notifications:write"), Duration.ofSeconds(-60));
        String forged =
                Tokens.mint(Tokens.newSecret(), "test-client", List.of("notifications:write"), Duration.ofHours(1));
        Map<String, Object> body = Map.of("userId", "u-1", "templateId", "welcome");

        post(writer, body).expectStatus().isAccepted();
        post(writer, Map.of("userId", "u-1", "templateId", "Not A Slug"))
                .expectStatus()
                .isBadRequest();
        post(writer, "{not json").expectStatus().isBadRequest();
        post(reader, body).expectStatus().isForbidden();
        post(expired, body).expectStatus().isUnauthorized();
        post(forged, body).expectStatus().isUnauthorized();
        for (String endpoint : List.of("/actuator/env", "/actuator/configprops", "/actuator/heapdump")) {
            http.get()
                    .uri(endpoint)
                    .headers(h -> h.setBearerAuth(writer))
                    .exchange()
                    .expectStatus()
                    .isNotFound();
        }

        // the test would pass vacuously if nothing were logged: the debug logging must have run
        assertThat(output.getAll()).contains("Started SecretsAreNotLoggedIT").contains("DEBUG");
        for (String secret : List.of(TestInfrastructure.JWT_SECRET, writer, reader, expired, forged)) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
        // nor the part of a token that carries its signature
        for (String token : List.of(writer, reader, expired, forged)) {
            assertThat(output.getAll()).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
    }

    private WebTestClient.ResponseSpec post(String bearer, Object body) {
        return http.post()
                .uri("/api/v1/notifications")
                .headers(h -> h.setBearerAuth(bearer))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }
}
