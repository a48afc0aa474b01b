package dev.herald.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.TopicProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class UserApiIT {

    private static final Duration PUBLISHED = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
        TestInfrastructure.freshDatabaseSchema(registry, "user_api_it");
        registry.add("herald.users.cache.key-prefix", () -> "herald-test:" + UUID.randomUUID() + ":");
    }

    @Autowired
    WebTestClient http;

    private TopicProbe<String, UserProfile> usersTopic;
    private final String token = TestInfrastructure.token("users:read", "users:write");

    @BeforeEach
    void openProbe() {
        usersTopic = TopicProbe.of(TestInfrastructure.broker().bootstrapServers(), Topics.USERS);
    }

    @AfterEach
    void closeProbe() {
        usersTopic.close();
    }

    @Test
    void putCreatesAUserThatGetReturnsAndTheUsersTopicCarries() {
        String id = newId();
        put(
                        id,
                        Map.of(
                                "email", "ana@example.com",
                                "locale", "pt-BR",
                                "timeZone", "America/Sao_Paulo",
                                "devices",
                                        List.of(Map.of("token", "tok-" + id, "platform", "android", "appId", "shop"))))
                .expectStatus()
                .isCreated()
                .expectHeader()
                .location("/api/v1/users/" + id)
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(id)
                .jsonPath("$.emailStatus")
                .isEqualTo("active")
                .jsonPath("$.devices[0].token")
                .isEqualTo("tok-" + id);

        http.get()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.email")
                .isEqualTo("ana@example.com")
                .jsonPath("$.locale")
                .isEqualTo("pt-BR")
                .jsonPath("$.timeZone")
                .isEqualTo("America/Sao_Paulo")
                .jsonPath("$.devices[0].platform")
                .isEqualTo("android");

        UserProfile published = usersTopic
                .await(r -> id.equals(r.key()), 1, PUBLISHED)
                .getFirst()
                .value();
        assertThat(published.email()).isEqualTo("ana@example.com");
        assertThat(published.devices()).extracting(UserProfile.Device::token).containsExactly("tok-" + id);
    }

    @Test
    void putReplacesTheUserAndPublishesEachVersionInOrder() {
        String id = newId();
        put(id, Map.of("email", "v1@example.com")).expectStatus().isCreated();
        put(id, Map.of("email", "v2@example.com", "preferences", Map.of("channels", Map.of("email", false))))
                .expectStatus()
                .isOk();

        List<ConsumerRecord<String, UserProfile>> versions = usersTopic.await(r -> id.equals(r.key()), 2, PUBLISHED);
        assertThat(versions).extracting(r -> r.value().email()).containsExactly("v1@example.com", "v2@example.com");
        assertThat(versions.getLast().value().preferences().channels().email()).isFalse();
    }

    @Test
    void aTokenRegisteredToAnotherUserMovesAndBothProfilesArePublished() {
        String first = newId();
        String second = newId();
        String sharedToken = "shared-" + first;
        put(first, Map.of("devices", List.of(Map.of("token", sharedToken, "platform", "ios"))))
                .expectStatus()
                .isCreated();
        http.get()
                .uri("/api/v1/users/{id}", first)
                .headers(h -> h.setBearerAuth(token))
                .exchange() // now cached
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.devices[0].token")
                .isEqualTo(sharedToken);
        put(second, Map.of("devices", List.of(Map.of("token", sharedToken, "platform", "ios"))))
                .expectStatus()
                .isCreated();

        http.get()
                .uri("/api/v1/users/{id}", first)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.devices")
                .isEmpty();
        List<ConsumerRecord<String, UserProfile>> firstVersions =
                usersTopic.await(r -> first.equals(r.key()), 2, PUBLISHED);
        assertThat(firstVersions.getLast().value().devices()).isEmpty();
        assertThat(usersTopic
                        .await(r -> second.equals(r.key()), 1, PUBLISHED)
                        .getFirst()
                        .value()
                        .devices())
                .extracting(UserProfile.Device::token)
                .containsExactly(sharedToken);
    }

    @Test
    void invalidFieldsAreRefusedWithAProblemPointingAtEachOfThem() {
        String id = newId();
        put(
                        id,
                        Map.of(
                                "email", "not-an-address",
                                "locale", "portuguese please",
                                "timeZone", "Mars/Olympus_Mons",
                                "devices", List.of(Map.of("token", "", "platform", "android"))))
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(400)
                .jsonPath("$.errors[*].pointer")
                .value(pointers -> assertThat((List<String>) pointers)
                        .containsExactlyInAnyOrder("#/devices/0/token", "#/email", "#/locale", "#/timeZone"));

        http.get()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isNotFound();
        assertThat(usersTopic.readFor(Duration.ofSeconds(1), r -> id.equals(r.key())))
                .isEmpty();
    }

    @Test
    void unknownPropertiesWrongTypesAndRepeatedTokensAreRefused() {
        put(newId(), Map.of("email", "a@example.com", "favouriteColour", "red"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/favouriteColour");
        put(newId(), Map.of("devices", List.of(Map.of("token", "t", "platform", "blackberry"))))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/devices/0/platform");
        put(
                        newId(),
                        Map.of(
                                "devices",
                                List.of(
                                        Map.of("token", "t", "platform", "ios"),
                                        Map.of("token", "t", "platform", "web"))))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/devices/1/token");
        http.put()
                .uri("/api/v1/users/{id}", newId())
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\": ")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anEmailLikeIdIsLocatedByItsLocationAndIdsUnsafeInUrlsAreRefused() {
        String id = "ana+" + UUID.randomUUID() + "@example.com";
        String location = put(id, Map.of("email", "deal@example.com"))
                .expectStatus()
                .isCreated()
                .returnResult(String.class)
                .getResponseHeaders()
                .getLocation()
                .toString();
        http.get()
                .uri(location)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(id);

        put("pipe|" + UUID.randomUUID(), Map.of())
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].parameter")
                .isEqualTo("id");
        put("50%off", Map.of())
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anUnknownUserIsANotFoundProblem() {
        http.get()
                .uri("/api/v1/users/{id}", "nobody-" + newId())
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(d -> assertThat((String) d).startsWith("No user"));
    }

    @Test
    void requestsWithoutATokenOrWithoutTheScopeAreRefused() {
        http.get()
                .uri("/api/v1/users/{id}", "x")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("WWW-Authenticate", "Bearer")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.get()
                .uri("/api/v1/users/{id}", "x")
                .headers(h -> h.setBearerAuth("not.a.jwt"))
                .exchange()
                .expectStatus()
                .isUnauthorized();
        http.put()
                .uri("/api/v1/users/{id}", newId())
                .headers(h -> h.setBearerAuth(TestInfrastructure.token("users:read")))
                .bodyValue(Map.of())
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void healthAndTheOpenApiDocumentAreOpenWithoutAToken() {
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        http.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.paths['/api/v1/users/{id}'].put")
                .exists()
                .jsonPath("$.components.securitySchemes.bearer.scheme")
                .isEqualTo("bearer");
    }

    private WebTestClient.ResponseSpec put(String id, Map<String, ?> body) {
        return http.put()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static String newId() {
        return "user-" + UUID.randomUUID();
    }
}
