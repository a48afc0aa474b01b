package dev.herald.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.Cancellation;
import dev.herald.schemas.Channel;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Priority;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.TopicProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class IngestApiIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
        registry.add("herald.ingest.status-base-url", () -> "http://status.example");
    }

    @Autowired
    WebTestClient http;

    @LocalServerPort
    int port;

    private TopicProbe<String, NotificationRequest> requests;
    private final String token = TestInfrastructure.token("notifications:write");

    @BeforeEach
    void openProbe() {
        requests = TopicProbe.of(TestInfrastructure.broker().bootstrapServers(), Topics.REQUESTS);
    }

    @AfterEach
    void closeProbe() {
        requests.close();
    }

    @Test
    void anAcceptedRequestIsOnTheTopicKeyedByRecipientBeforeTheAnswer() {
        Instant before = Instant.now();
        String userId = "user-" + UUID.randomUUID();
        Map<String, Object> answer = post(Map.of(
                        "userId",
                        userId,
                        "templateId",
                        "order-shipped",
                        "data",
                        Map.of("order", Map.of("number", "A-17")),
                        "channels",
                        List.of("email"),
                        "priority",
                        "high",
                        "locale",
                        "pt-BR",
                        "metadata",
                        Map.of("campaign", "autumn")))
                .expectStatus()
                .isAccepted()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();

        UUID id = UUID.fromString((String) answer.get("id"));
        assertThat(answer)
                .containsEntry("status", "ACCEPTED")
                .containsEntry("statusUrl", "http://status.example/api/v1/notifications/" + id);
        ConsumerRecord<String, NotificationRequest> record = requests.await(
                        r -> id.equals(r.value().id()), 1, Duration.ofSeconds(5))
                .getFirst();
        assertThat(record.key()).isEqualTo(userId);
        NotificationRequest request = record.value();
        assertThat(request.templateId()).isEqualTo("order-shipped");
        assertThat(request.channels()).containsExactly(Channel.EMAIL);
        assertThat(request.priority()).isEqualTo(Priority.HIGH);
        assertThat(request.locale()).isEqualTo("pt-BR");
        assertThat(request.data()).isEqualTo(Map.of("order", Map.of("number", "A-17")));
        assertThat(request.metadata()).containsEntry("campaign", "autumn");
        assertThat(request.requestedAt()).isBetween(before, Instant.now());
    }

    @Test
    void aClientSuppliedIdIsKeptAndPriorityDefaultsToNormal() {
        UUID id = UUID.randomUUID();
        post(Map.of("id", id.toString(), "userId", "u-1", "templateId", "welcome"))
                .expectStatus()
                .isAccepted()
                .expectHeader()
                .location("http://status.example/api/v1/notifications/" + id)
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(id.toString());

        NotificationRequest request = requests.await(r -> id.equals(r.value().id()), 1, Duration.ofSeconds(5))
                .getFirst()
                .value();
        assertThat(request.priority()).isEqualTo(Priority.NORMAL);
    }

    @Test
    void invalidRequestsAreRefusedFieldByFieldAndNeverPublished() throws Exception {
        String userId = "refused-" + UUID.randomUUID();
        post(Map.of("userId", userId, "templateId", "Not A Slug", "channels", List.of(), "locale", "klingon!"))
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[*].pointer")
                .value(p -> assertThat((List<String>) p)
                        .containsExactlyInAnyOrder("#/channels", "#/locale", "#/templateId"));
        post(Map.of("templateId", "welcome"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/userId");
        post(Map.of("userId", userId, "templateId", "welcome", "channels", List.of("sms")))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].detail")
                .isEqualTo("must be one of [email, push]");
        // refused by the topic's schema alone (its uniqueItems), which the request is checked against last
        refusedOnceAt(
                        Map.of("userId", userId, "templateId", "welcome", "channels", List.of("email", "email")),
                        "#/channels")
                .jsonPath("$.errors[0].detail")
                .value(detail -> assertThat((String) detail).contains("unique"));
        post(Map.of("userId", userId, "templateId", "welcome", "priority", "urgent"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/priority");
        post(Map.of("userId", userId, "templateId", "welcome", "sender", "me"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].detail")
                .isEqualTo("unknown property 'sender'");
        post(Map.of("userId", userId, "templateId", "welcome", "id", "not-a-uuid"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/id")
                .jsonPath("$.errors[0].detail")
                .value(detail -> assertThat((String) detail).startsWith("must be a UUID"));
        post(Map.of("userId", userId, "templateId", "welcome", "scheduledAt", "2030-01-01T09:00:00"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/scheduledAt")
                .jsonPath("$.errors[0].detail")
                .value(detail -> assertThat((String) detail).contains("with an offset"));
        // a year past 9999 is read, but is no RFC 3339 date-time: too far ahead, said once
        refusedOnceAt(
                        Map.of("userId", userId, "templateId", "welcome", "scheduledAt", "+999999999-12-31T23:59:59Z"),
                        "#/scheduledAt")
                .jsonPath("$.errors[0].detail")
                .isEqualTo("must be at most 30 days ahead");
        post("{not json")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Unreadable request body")
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail)
                        .startsWith("The request body is not valid JSON: Unexpected character ('n'"));
        post("{\"userId\":\"" + userId + "\"")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail)
                        .isEqualTo("The request body is not valid JSON: Unexpected end-of-input: expected close marker"
                                + " for Object"));
        post("{\"userId\":\"" + userId + "\",\"templateId\":\"welcome\"} {}")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The request body is not valid JSON: it has more after its value.");
        // read as its last value, a member named twice could mean one recipient to a proxy and another here
        post("{\"userId\":\"" + userId + "\",\"userId\":\"someone-else\",\"templateId\":\"welcome\"}")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("Duplicate Object property \"userId\""));
        post("[{\"userId\":\"" + userId + "\",\"templateId\":\"welcome\"}]")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The request body must be an object.");
        // a value of another JSON type is refused, not converted: 42 would be read as the recipient "42"
        Map<String, Map<String, Object>> wrongTypes = Map.of(
                "#/userId", Map.of("userId", 42, "templateId", "welcome"),
                "#/templateId", Map.of("userId", userId, "templateId", true),
                "#/category", Map.of("userId", userId, "templateId", "welcome", "category", 4.5),
                "#/metadata/order", Map.of("userId", userId, "templateId", "welcome", "metadata", Map.of("order", 7)));
        wrongTypes.forEach((pointer, body) -> post(body)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo(pointer)
                .jsonPath("$.errors[0].detail")
                .isEqualTo("must be a string"));
        // a recipient and a template that cannot be are reported together, each once
        post(Map.of("userId", "ana smith", "templateId", ""))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].pointer")
                .value(pointers -> assertThat((List<String>) pointers).containsExactly("#/templateId", "#/userId"))
                .jsonPath("$.errors[1].detail")
                .isEqualTo("must be 1 to 128 letters, digits or . _ : @ + = ~ -");
        // nor is a number read as the position of a name in the list
        post(Map.of("userId", userId, "templateId", "welcome", "priority", 0))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/priority");
        http.post()
                .uri("/api/v1/notifications")
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("userId=" + userId + "&templateId=welcome")
                .exchange()
                .expectStatus()
                .isEqualTo(415)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The request body must be JSON, sent with Content-Type: application/json (it came as"
                        + " application/x-www-form-urlencoded).");
        // a Content-Type that does not parse is a 415 as well, not an error of Herald's (sent past WebTestClient,
        // which would not send it)
        HttpResponse<String> unparsed = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/notifications"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "json")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(unparsed.statusCode()).isEqualTo(415);
        assertThat(unparsed.body())
                .contains("\"detail\":\"The request body must be JSON, sent with Content-Type: application/json (it"
                        + " came as json).\"");
        for (String nothing : List.of("", "null")) {
            post(nothing)
                    .expectStatus()
                    .isBadRequest()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.detail")
                    .isEqualTo("The request needs a JSON object as its body.");
        }

        assertThat(requests.readFor(Duration.ofSeconds(1), r -> userId.equals(r.key())))
                .isEmpty();
    }

    @Test
    void aRequestTooLargeForOneRecordGets413AndIsNotPublished() {
        String userId = "user-" + UUID.randomUUID();
        Map<Integer, String> refusals = Map.of(
                // within the 8 MB the API reads, beyond the 1 MB a producer request may carry
                1_500_000, "The request is larger than the broker accepts as one record; send less data.",
                // beyond the 8 MB the API reads (spring.http.codecs.max-in-memory-size): refused as it is read
                9_000_000, "The request body is larger than this API accepts.");
        refusals.forEach((size, detail) -> post(Map.of(
                        "userId", userId, "templateId", "welcome", "data", Map.of("blob", "x".repeat(size))))
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo(detail));
        assertThat(requests.readFor(Duration.ofSeconds(1), r -> userId.equals(r.key())))
                .isEmpty();

        // the producer goes on: the next request is accepted
        post(Map.of("userId", userId, "templateId", "welcome")).expectStatus().isAccepted();
    }

    @Test
    void aRequestThatTakesNoJsonIsRefusedAndNotPublished() {
        String userId = "user-" + UUID.randomUUID();
        http.post()
                .uri("/api/v1/notifications")
                .headers(h -> h.setBearerAuth(token))
                .accept(MediaType.TEXT_HTML)
                .bodyValue(Map.of("userId", userId, "templateId", "welcome"))
                .exchange()
                .expectStatus()
                .isEqualTo(406)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("This endpoint answers application/json, which the request's Accept (text/html) does not"
                        + " allow.");
        assertThat(requests.readFor(Duration.ofSeconds(1), r -> userId.equals(r.key())))
                .isEmpty();
    }

    @Test
    void theOpenApiDocumentListsTheProblemAnswersOfEachOperation() {
        String problem = "#/components/schemas/Problem";
        TestInfrastructure.openApiDocument(http)
                .jsonPath("$.components.schemas.Problem.properties.errors.items.properties.pointer")
                .exists()
                .jsonPath("$.paths['/api/v1/notifications'].post.responses['202'].content['application/json']"
                        + ".schema['$ref']")
                .isEqualTo("#/components/schemas/Accepted")
                .jsonPath("$.paths['/api/v1/notifications'].post.responses['200']")
                .doesNotExist()
                .jsonPath("$.paths['/api/v1/notifications/{id}'].delete.responses['202']")
                .exists()
                .jsonPath("$.paths['/api/v1/notifications:batch'].post.responses['200'].content['application/json']"
                        + ".schema['$ref']")
                .isEqualTo("#/components/schemas/BatchResult")
                .jsonPath("$.paths['/api/v1/notifications'].post.responses['401'].content['application/problem+json']"
                        + ".schema['$ref']")
                .isEqualTo(problem)
                .jsonPath("$.paths['/api/v1/notifications'].post.responses['413']")
                .exists()
                .jsonPath("$.paths['/api/v1/notifications'].post.responses['415']")
                .exists()
                .jsonPath("$.paths['/api/v1/notifications'].post.responses['422']")
                .exists()
                .jsonPath(
                        "$.paths['/api/v1/notifications:batch'].post.responses['429'].content['application/problem+json']"
                                + ".schema['$ref']")
                .isEqualTo(problem)
                .jsonPath("$.paths['/api/v1/notifications/{id}'].delete.responses['503']")
                .exists()
                // a cancellation has no body: no 413 or 415, and no Idempotency-Key answers
                .jsonPath("$.paths['/api/v1/notifications/{id}'].delete.responses['413']")
                .doesNotExist()
                .jsonPath("$.paths['/api/v1/notifications/{id}'].delete.responses['415']")
                .doesNotExist()
                .jsonPath("$.paths['/api/v1/notifications/{id}'].delete.responses['409']")
                .doesNotExist();
    }

    @Test
    void submittingNeedsTheWriteScope() {
        post(Map.of("userId", "u", "templateId", "welcome"), TestInfrastructure.token("notifications:read"))
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.post()
                .uri("/api/v1/notifications")
                .bodyValue(Map.of())
                .exchange()
                .expectStatus()
                .isUnauthorized();
        http.post()
                .uri("/api/v1/notifications")
                .header("Authorization", "Bearer not a token")
                .bodyValue(Map.of())
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The bearer token is invalid or has expired.");
    }

    @Test
    void aCancellationIsOnItsTopicKeyedByNotificationBeforeTheAnswerAndNeedsTheWriteScope() {
        UUID id = UUID.randomUUID();
        Instant before = Instant.now();
        try (TopicProbe<String, Cancellation> cancellations =
                TopicProbe.of(TestInfrastructure.broker().bootstrapServers(), Topics.CANCELLATIONS)) {
            http.delete()
                    .uri("/api/v1/notifications/{id}", id)
                    .headers(h -> h.setBearerAuth(token))
                    .exchange()
                    .expectStatus()
                    .isAccepted()
                    .expectHeader()
                    .location("http://status.example/api/v1/notifications/" + id)
                    .expectHeader()
                    .exists("RateLimit")
                    .expectBody()
                    .jsonPath("$.status")
                    .isEqualTo("CANCELLATION_REQUESTED");

            ConsumerRecord<String, Cancellation> record = cancellations
                    .await(r -> id.equals(r.value().notificationId()), 1, Duration.ofSeconds(5))
                    .getFirst();
            assertThat(record.key()).isEqualTo(id.toString());
            assertThat(record.value().requestedBy()).isEqualTo("test-client");
            assertThat(record.value().requestedAt()).isBetween(before, Instant.now());
        }

        http.delete()
                .uri("/api/v1/notifications/not-a-uuid")
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].parameter")
                .isEqualTo("id")
                .jsonPath("$.errors[0].detail")
                .value(detail -> assertThat((String) detail).startsWith("must be a UUID"));
        http.delete()
                .uri("/api/v1/notifications/{id}", id)
                .headers(h -> h.setBearerAuth(TestInfrastructure.token("notifications:read")))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.delete()
                .uri("/api/v1/notifications/{id}", id)
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    /** Posts {@code body}, expects 400 with one error, at {@code pointer}, and returns the answer's body. */
    private WebTestClient.BodyContentSpec refusedOnceAt(Object body, String pointer) {
        return post(body)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.length()")
                .isEqualTo(1)
                .jsonPath("$.errors[0].pointer")
                .isEqualTo(pointer);
    }

    private WebTestClient.ResponseSpec post(Object body) {
        return post(body, token);
    }

    /** Posts {@code body}: a map as JSON, a string as it is. */
    private WebTestClient.ResponseSpec post(Object body, String bearer) {
        return http.post()
                .uri("/api/v1/notifications")
                .headers(h -> h.setBearerAuth(bearer))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }
}
