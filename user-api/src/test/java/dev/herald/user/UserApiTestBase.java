package dev.herald.user;

import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.ConnectionPools;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.TopicProbe;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One user-api on the shared broker, PostgreSQL and Redis, shared by the test classes that extend this (Spring
 * caches the context), with helpers for its HTTP API and the {@code users} topic.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
abstract class UserApiTestBase {

    static final Duration PUBLISHED = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
        TestInfrastructure.freshDatabaseSchema(registry, "user_api_it");
        registry.add("herald.users.cache.key-prefix", () -> "herald-test:" + UUID.randomUUID() + ":");
    }

    @Autowired
    WebTestClient http;

    TopicProbe<String, UserProfile> usersTopic;
    final String token = TestInfrastructure.token("users:read", "users:write");

    @BeforeEach
    void openProbe() {
        usersTopic = TopicProbe.of(TestInfrastructure.broker().bootstrapServers(), Topics.USERS);
    }

    @Autowired
    ConnectionFactory connections;

    @AfterEach
    void closeProbe() {
        usersTopic.close();
    }

    /** Every request gave its database connection back: a leak would hang later requests once the pool is empty. */
    @AfterEach
    void noConnectionIsHeld() {
        ConnectionPools.awaitAllReturned(connections);
    }

    WebTestClient.ResponseSpec put(String id, Object body) {
        return http.put()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    WebTestClient.ResponseSpec patch(String uri, Object body, Object... uriVariables) {
        return http.patch()
                .uri(uri, uriVariables)
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.parseMediaType("application/merge-patch+json"))
                .bodyValue(body)
                .exchange();
    }

    WebTestClient.ResponseSpec get(String uri, Object... uriVariables) {
        return http.get()
                .uri(uri, uriVariables)
                .headers(h -> h.setBearerAuth(token))
                .exchange();
    }

    /** {@code method} on {@code path} as written: its escapes are sent, not escaped again as a template's would be. */
    WebTestClient.ResponseSpec exchangeAsWritten(HttpMethod method, String path) {
        return http.method(method)
                .uri(base -> base.build().resolve(path))
                .headers(h -> h.setBearerAuth(token))
                .exchange();
    }

    WebTestClient.ResponseSpec delete(String uri, Object... uriVariables) {
        return http.delete()
                .uri(uri, uriVariables)
                .headers(h -> h.setBearerAuth(token))
                .exchange();
    }

    WebTestClient.ResponseSpec post(String uri, Object body, Object... uriVariables) {
        return http.post()
                .uri(uri, uriVariables)
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /** The profile as GET returns it. */
    UserProfile profile(String id) {
        return get("/api/v1/users/{id}", id)
                .expectStatus()
                .isOk()
                .expectBody(UserProfile.class)
                .returnResult()
                .getResponseBody();
    }

    /** The first {@code count} versions of user {@code id} on the {@code users} topic. */
    List<ConsumerRecord<String, UserProfile>> published(String id, int count) {
        return usersTopic.await(r -> id.equals(r.key()), count, PUBLISHED);
    }

    static Map<String, Object> device(String token, String platform) {
        return Map.of("token", token, "platform", platform);
    }

    static String newId() {
        return "user-" + UUID.randomUUID();
    }
}
