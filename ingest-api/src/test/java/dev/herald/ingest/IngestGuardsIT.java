package dev.herald.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.ingest.guard.Idempotency;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.Blackhole;
import dev.herald.testkit.KafkaBroker;
import dev.herald.testkit.RedisProcess;
import dev.herald.testkit.TcpProxy;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.Tokens;
import dev.herald.testkit.TopicProbe;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Idempotency keys, rate limits and batches, and what happens when Redis or the broker stops mid-test: this
 * class has a broker and a redis-server of its own, so stopping them disturbs no other test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S")
class IngestGuardsIT {

    /** Its clients reach this broker on an address a test can make silent. */
    private static final Blackhole brokerSilence = new Blackhole("127.0.0.4");

    private static final KafkaBroker broker = KafkaBroker.start(brokerSilence.host(), 0);
    private static final RedisProcess redis = RedisProcess.start();
    private static final Blackhole silence = new Blackhole("127.0.0.3");
    /** The app reaches Redis through this, so that a test can make Redis silent. */
    private static final TcpProxy redisLink = silence.proxy("127.0.0.1", redis.port());

    private static final Duration REDIS_NETWORK_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PUBLISHED = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", broker::bootstrapServers);
        registry.add("herald.security.jwt.hmac-secret", () -> TestInfrastructure.JWT_SECRET);
        registry.add("herald.kafka.partitions", () -> 2);
        registry.add("spring.data.redis.host", redisLink::host);
        registry.add("spring.data.redis.port", redisLink::port);
        registry.add("herald.redis.network-timeout", REDIS_NETWORK_TIMEOUT::toString);
        registry.add("herald.ingest.publish-timeout", () -> "2s");
        registry.add("herald.ingest.rate-limit.clients.tight.capacity", () -> 3);
        registry.add("herald.ingest.rate-limit.clients.tight.per-second", () -> 1);
    }

    @AfterAll
    static void stopInfrastructure() {
        brokerSilence.close();
        silence.close();
        redisLink.close();
        redis.close();
        broker.close();
    }

    @Autowired
    WebTestClient http;

    @Autowired
    RedisConnectionFactory redisConnections;

    private static final List<String> WRITE = List.of("notifications:write");

    private final String token = TestInfrastructure.token("notifications:write");

    @Test
    void theSameKeyAndBodyAnswerTheSameOnceAndAnotherBodyIsRefused() {
        String key = "order-" + UUID.randomUUID();
        String userId = "user-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("userId", userId, "templateId", "welcome", "data", Map.of("n", 1));

        Map<String, Object> first = submit(key, body, token)
                .expectStatus()
                .isAccepted()
                .expectHeader()
                .doesNotExist("Idempotent-Replayed")
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
                .returnResult()
                .getResponseBody();
        // the answer is kept 24 hours (herald.ingest.idempotency-ttl), once it has replaced the running hold
        try (RedisConnection connection = redisConnections.getConnection()) {
            byte[] entry = ("herald:{test-client}:idempotency:" + key).getBytes(StandardCharsets.UTF_8);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(connection.keyCommands().pTtl(entry))
                            .isBetween(
                                    Duration.ofHours(24).minusMinutes(1).toMillis(),
                                    Duration.ofHours(24).toMillis()));
        }
        submit(key, body, token)
                .expectStatus()
                .isAccepted()
                .expectHeader()
                .valueEquals("Idempotent-Replayed", "true")
                .expectHeader()
                .valueEquals("Location", (String) first.get("statusUrl"))
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(first.get("id"));

        submit(key, Map.of("userId", userId, "templateId", "welcome", "data", Map.of("n", 2)), token)
                .expectStatus()
                .isEqualTo(422)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // keys belong to a client: another client's identical key is its own
        submit(
                        key,
                        body,
                        Tokens.mint(
                                TestInfrastructure.JWT_SECRET,
                                "other",
                                List.of("notifications:write"),
                                Duration.ofHours(1)))
                .expectStatus()
                .isAccepted()
                .expectHeader()
                .doesNotExist("Idempotent-Replayed");

        try (TopicProbe<String, NotificationRequest> topic =
                TopicProbe.of(broker.bootstrapServers(), Topics.REQUESTS)) {
            assertThat(topic.readFor(Duration.ofSeconds(2), r -> userId.equals(r.key())))
                    .hasSize(2);
        }
        // a key too long, and one sent empty: neither is taken for a request without a key
        for (String bad : List.of("k".repeat(256), "")) {
            submit(bad, body, token).expectStatus().isBadRequest();
        }
    }

    @Test
    void aRetryWhoseKeyRedisLostPublishesTheSameNotificationForEnrichStreamToDrop() {
        String key = "lost-" + UUID.randomUUID();
        String userId = "user-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("userId", userId, "templateId", "welcome", "data", Map.of("n", 1));
        String first = acceptedId(submit(key, body, token));

        // Redis restarted without persistence, evicted the key, or was full when the answer was to be kept
        forgetIdempotencyKey(key);
        String retried = acceptedId(submit(key, body, token));
        forgetIdempotencyKey(key);
        String otherBody = acceptedId(
                submit(key, Map.of("userId", userId, "templateId", "welcome", "data", Map.of("n", 2)), token));

        assertThat(retried).isEqualTo(first);
        assertThat(otherBody).isNotEqualTo(first);
        try (TopicProbe<String, NotificationRequest> topic =
                TopicProbe.of(broker.bootstrapServers(), Topics.REQUESTS)) {
            assertThat(topic.await(r -> userId.equals(r.key()), 3, PUBLISHED))
                    .extracting(r -> r.value().id().toString())
                    .containsExactly(first, first, otherBody);
        }
    }

    /** The id of a request answered 202 as a first answer, not a replayed one. */
    private static String acceptedId(WebTestClient.ResponseSpec response) {
        return response.expectStatus()
                .isAccepted()
                .expectHeader()
                .doesNotExist("Idempotent-Replayed")
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
                .returnResult()
                .getResponseBody()
                .get("id")
                .toString();
    }

    /**
     * Deletes what Redis holds for the test client's {@code key}, as if it had never been used, once the answer is
     * kept (which happens as the answer goes out, not before).
     */
    private void forgetIdempotencyKey(String key) {
        try (RedisConnection connection = redisConnections.getConnection()) {
            byte[] pattern = ("herald:{*}:idempotency:" + key).getBytes(StandardCharsets.UTF_8);
            byte[] entry = connection.keyCommands().keys(pattern).iterator().next();
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> new String(connection.stringCommands().get(entry), StandardCharsets.UTF_8)
                            .contains("\"answer\":{"));
            assertThat(connection.keyCommands().del(entry)).isEqualTo(1L);
        }
    }

    @Test
    void aClientOverItsRateLimitGets429WithRetryAfterAndRateLimitHeaders() {
        // the bucket is the client's (its client_id claim), whoever the token's subject is
        String tight = Tokens.mint(
                TestInfrastructure.JWT_SECRET,
                "tight",
                "someone-at-tight",
                List.of("notifications:write"),
                Duration.ofHours(1));
        Map<String, Object> body = Map.of("userId", "u-" + UUID.randomUUID(), "templateId", "welcome");
        // the bucket holds 3 and gains one a second: requests pass until it is empty, then get 429. On a slow
        // machine it may gain a token while they run, so count the seconds they took
        Instant started = Instant.now();
        int accepted = 0;
        EntityExchangeResult<byte[]> refused = null;
        while (refused == null && accepted < 20) {
            EntityExchangeResult<byte[]> result =
                    submit(null, body, tight).expectBody().returnResult();
            if (result.getStatus().value() != 202) {
                refused = result;
                continue;
            }
            accepted++;
            assertThat(result.getResponseHeaders().getFirst("RateLimit-Policy")).isEqualTo("3;w=3");
            assertThat(result.getResponseHeaders().getFirst("RateLimit")).startsWith("limit=3, remaining=");
        }
        long refills = Duration.between(started, Instant.now()).toSeconds() + 1;
        assertThat(refused)
                .as("an answer other than 202 after %d accepted", accepted)
                .isNotNull();
        assertThat(accepted).isBetween(3, 3 + (int) refills);
        assertThat(refused.getStatus().value()).isEqualTo(429);
        assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(refused.getResponseHeaders().getFirst("RateLimit")).contains("remaining=0");
        assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        // a request refused for its rate does not claim its key: once the bucket refills, the key runs once
        String key = refusedKey(body, tight);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> submit(key, body, tight)
                        .expectStatus()
                        .isAccepted()
                        .expectHeader()
                        .doesNotExist(Idempotency.REPLAYED));
        // a replay costs a token too, so it may have to wait for one
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> submit(key, body, tight)
                        .expectStatus()
                        .isAccepted()
                        .expectHeader()
                        .valueEquals(Idempotency.REPLAYED, "true"));
        // other clients have their own buckets, a token subject named like a client included; a token without a
        // client_id is its subject's
        submit(null, body, token).expectStatus().isAccepted();
        submit(null, body, Tokens.mint(TestInfrastructure.JWT_SECRET, "roomy", "tight", WRITE, Duration.ofHours(1)))
                .expectStatus()
                .isAccepted()
                .expectHeader()
                .valueEquals("RateLimit-Policy", "2000;w=2");
        submit(null, body, Tokens.mint(TestInfrastructure.JWT_SECRET, null, "tight", WRITE, Duration.ofHours(1)))
                .expectHeader()
                .valueEquals("RateLimit-Policy", "3;w=3");

        List<Object> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(body);
        }
        http.post()
                .uri("/api/v1/notifications:batch")
                .headers(h -> h.setBearerAuth(tight))
                .bodyValue(Map.of("notifications", five))
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("more than this client may send at once"));
    }

    @Test
    void aBatchRefusesTheSecondItemWithAnIdTheFirstHasForOnlyOneCouldBeDelivered() {
        String userId = "batch-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        List<Object> items = List.of(
                Map.of("id", id, "userId", userId, "templateId", "welcome", "data", Map.of("i", 0)),
                Map.of("userId", userId, "templateId", "welcome"),
                Map.of("id", id, "userId", userId, "templateId", "welcome", "data", Map.of("i", 2)));

        List<Map<String, Object>> results = batchResults(items);

        assertThat(results).extracting(r -> r.get("status")).containsExactly(202, 202, 400);
        assertThat(firstError(results.get(2)))
                .containsEntry("pointer", "#/notifications/2/id")
                .containsEntry("detail", "is also the id of item 0");
        try (TopicProbe<String, NotificationRequest> topic =
                TopicProbe.of(broker.bootstrapServers(), Topics.REQUESTS)) {
            assertThat(topic.readFor(Duration.ofSeconds(1), r -> userId.equals(r.key())))
                    .extracting(r -> r.value().data())
                    .containsExactlyInAnyOrder(Map.of("i", 0), Map.of());
        }
    }

    @Test
    void aBatchAnswersEveryItemInOrderAndTheAcceptedOnesAreOnTheTopicBeforeTheAnswer() {
        String userId = "batch-" + UUID.randomUUID();
        List<Object> items = List.of(
                Map.of("userId", userId, "templateId", "welcome", "data", Map.of("i", 0)),
                Map.of("userId", userId, "templateId", "Not A Slug"),
                Map.of("userId", userId, "templateId", "welcome", "colour", "red"),
                Map.of(
                        "userId",
                        userId,
                        "templateId",
                        "welcome",
                        "scheduledAt",
                        Instant.now().minus(Duration.ofDays(1)).toString()),
                Map.of(
                        "userId",
                        userId,
                        "templateId",
                        "welcome",
                        "scheduledAt",
                        Instant.now().plus(Duration.ofDays(400)).toString()),
                Map.of("userId", userId, "templateId", "welcome", "data", Map.of("i", 5), "priority", "high"));

        List<Map<String, Object>> results = batchResults(items);
        assertThat(results).extracting(r -> r.get("status")).containsExactly(202, 400, 400, 400, 400, 202);
        assertThat(pointer(results.get(1))).isEqualTo("#/notifications/1/templateId");
        assertThat(pointer(results.get(2))).isEqualTo("#/notifications/2/colour");
        assertThat(pointer(results.get(3))).isEqualTo("#/notifications/3/scheduledAt");
        assertThat(pointer(results.get(4))).isEqualTo("#/notifications/4/scheduledAt");
        assertThat(firstError(results.get(3)).get("detail")).isEqualTo("must not be in the past");
        assertThat(firstError(results.get(4)).get("detail")).isEqualTo("must be at most 30 days ahead");
        try (TopicProbe<String, NotificationRequest> topic =
                TopicProbe.of(broker.bootstrapServers(), Topics.REQUESTS)) {
            assertThat(topic.readFor(Duration.ofSeconds(1), r -> userId.equals(r.key())))
                    .extracting(r -> r.value().id().toString())
                    .containsExactlyInAnyOrder((String) results.get(0).get("id"), (String)
                            results.get(5).get("id"));
        }

        // 1,000 items is a batch, each on the topic; 1,001 is refused whole
        String thousandFor = "batch-1000-" + UUID.randomUUID();
        List<Object> thousand = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            thousand.add(Map.of("userId", thousandFor, "templateId", "welcome", "data", Map.of("i", i)));
        }
        assertThat(batchResults(thousand))
                .hasSize(1000)
                .allSatisfy(r -> assertThat(r.get("status")).isEqualTo(202));
        try (TopicProbe<String, NotificationRequest> topic =
                TopicProbe.of(broker.bootstrapServers(), Topics.REQUESTS)) {
            topic.await(r -> thousandFor.equals(r.key()), 1000, PUBLISHED);
            assertThat(topic.readFor(Duration.ofSeconds(1), r -> thousandFor.equals(r.key())))
                    .hasSize(1000);
        }
        List<Object> tooMany = new ArrayList<>(thousand);
        tooMany.add(items.getFirst());
        http.post()
                .uri("/api/v1/notifications:batch")
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of("notifications", tooMany))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/notifications");
    }

    @Test
    void aBatchRetriedWithItsIdempotencyKeyGetsTheSameResultsAndPublishesNothingAgain() {
        String userId = "batch-key-" + UUID.randomUUID();
        Map<String, Object> batch = Map.of(
                "notifications",
                List.of(
                        Map.of("userId", userId, "templateId", "welcome"),
                        Map.of("userId", userId, "templateId", "Not A Slug")));
        String key = "batch-" + UUID.randomUUID();

        String first = batch(key, batch)
                .expectStatus()
                .isOk()
                .expectHeader()
                .doesNotExist("Idempotent-Replayed")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        String again = batch(key, batch)
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Idempotent-Replayed", "true")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        assertThat(again).isEqualTo(first);
        try (TopicProbe<String, NotificationRequest> topic =
                TopicProbe.of(broker.bootstrapServers(), Topics.REQUESTS)) {
            assertThat(topic.readFor(Duration.ofSeconds(2), r -> userId.equals(r.key())))
                    .hasSize(1);
        }
    }

    private WebTestClient.ResponseSpec batch(String key, Object body) {
        return http.post()
                .uri("/api/v1/notifications:batch")
                .headers(h -> {
                    h.setBearerAuth(token);
                    h.set("Idempotency-Key", key);
                })
                .bodyValue(body)
                .exchange();
    }

    @Test
    void withRedisStoppedPlainRequestsAreAcceptedUnlimitedAndKeyedOnesGet503() {
        Map<String, Object> body = Map.of("userId", "u-" + UUID.randomUUID(), "templateId", "welcome");
        redis.stop();
        try {
            double failedOpen = rateLimitUnavailable();
            plainAcceptedAndKeyedRefused(body);
            assertThat(rateLimitUnavailable()).isGreaterThan(failedOpen);
        } finally {
            redis.restart();
        }
        keyedAcceptedOnceRedisIsBack(body);
    }

    @Test
    void withRedisFullPlainRequestsAreAcceptedUnlimitedAndKeyedOnesGet503() {
        Map<String, Object> body = Map.of("userId", "u-" + UUID.randomUUID(), "templateId", "welcome");
        submit("key-" + UUID.randomUUID(), body, token).expectStatus().isAccepted();
        // out of memory under noeviction (the policy Herald asks for): Redis refuses every write, the guard
        // script's included, rather than evicting keys
        redis.config("maxmemory", "1");
        try {
            double failedOpen = rateLimitUnavailable();
            plainAcceptedAndKeyedRefused(body);
            assertThat(rateLimitUnavailable()).isGreaterThan(failedOpen);
        } finally {
            redis.config("maxmemory", "0");
        }
        submit("key-" + UUID.randomUUID(), body, token).expectStatus().isAccepted();
    }

    /** Requests let through unlimited because Redis failed, so far. */
    private double rateLimitUnavailable() {
        String metrics = TestInfrastructure.prometheus(http);
        Matcher counter = Pattern.compile("(?m)^herald_ingest_rate_limit_unavailable_total (\\S+)$")
                .matcher(metrics);
        return counter.find() ? Double.parseDouble(counter.group(1)) : 0;
    }

    @Test
    void withRedisSilentItsConnectionIsGivenUpWithinTheNetworkTimeoutSoRequestsStopWaitingForIt() {
        Map<String, Object> body = Map.of("userId", "u-" + UUID.randomUUID(), "templateId", "welcome");
        submit("key-" + UUID.randomUUID(), body, token).expectStatus().isAccepted();
        assumeTrue(silence.drop(), "dropping packets needs the right to change routes (root, Linux)");
        try {
            // a command sent now is never acknowledged: it waits out the command timeout, and the connection
            // goes once the network timeout is up (TCP alone would hold it for 15 minutes, and every later
            // command would wait out its timeout on it)
            submit("key-" + UUID.randomUUID(), body, token).expectStatus().isEqualTo(503);
            org.awaitility.Awaitility.await()
                    .atMost(REDIS_NETWORK_TIMEOUT.multipliedBy(4))
                    .until(() -> !redisConnectionOpen());
            plainAcceptedAndKeyedRefused(body);
        } finally {
            silence.restore();
        }
        keyedAcceptedOnceRedisIsBack(body);
    }

    /** Without Redis: a request without a key is accepted (rate limiting fails open), one with a key gets 503. */
    private void plainAcceptedAndKeyedRefused(Map<String, Object> body) {
        submit(null, body, token).expectStatus().isAccepted();
        submit("key-" + UUID.randomUUID(), body, token)
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals("Retry-After", "1");
    }

    /** Retries a request with a fresh key until it is accepted: the client reconnects, with growing pauses. */
    private void keyedAcceptedOnceRedisIsBack(Map<String, Object> body) {
        String key = "key-" + UUID.randomUUID();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> submit(key, body, token).expectStatus().isAccepted());
    }

    /** Whether the app's shared Redis connection is up (not dropped, nor waiting to reconnect). */
    private boolean redisConnectionOpen() {
        try (RedisConnection connection = redisConnections.getConnection()) {
            return ((RedisAsyncCommands<?, ?>) connection.getNativeConnection())
                    .getStatefulConnection()
                    .isOpen();
        }
    }

    @Test
    void withTheBrokerStoppedARequestIs503WithinTheBoundAndAcceptedAgainOnceItIsBack() {
        Map<String, Object> body = Map.of("userId", "u-" + UUID.randomUUID(), "templateId", "welcome");
        submit(null, body, token).expectStatus().isAccepted();
        broker.stop();
        try {
            refusedWithinTheBound(body);
        } finally {
            broker.restart();
        }
        acceptedOnceTheBrokerIsBack(body);
    }

    @Test
    void withTheBrokerSilentARequestIs503WithinTheBoundAndAcceptedAgainOnceItAnswers() {
        Map<String, Object> body = Map.of("userId", "u-" + UUID.randomUUID(), "templateId", "welcome");
        submit(null, body, token).expectStatus().isAccepted();
        // the connections to the broker stay open, and nothing sent on them gets an answer
        assumeTrue(brokerSilence.drop(), "dropping packets needs the right to change routes (root, Linux)");
        try {
            refusedWithinTheBound(body);
        } finally {
            brokerSilence.restore();
        }
        acceptedOnceTheBrokerIsBack(body);
    }

    /** A submission and a cancellation the broker does not take get 503 within the publish timeout and the backstop. */
    private void refusedWithinTheBound(Map<String, Object> body) {
        long started = System.nanoTime();
        submit(null, body, token).expectStatus().isEqualTo(503).expectHeader().valueEquals("Retry-After", "1");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        started = System.nanoTime();
        cancel(UUID.randomUUID())
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals("Retry-After", "1")
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The cancellation could not be stored; retry.");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }

    private void acceptedOnceTheBrokerIsBack(Map<String, Object> body) {
        org.awaitility.Awaitility.await()
                .atMost(PUBLISHED)
                .untilAsserted(() -> submit(null, body, token).expectStatus().isAccepted());
        org.awaitility.Awaitility.await()
                .atMost(PUBLISHED)
                .untilAsserted(() -> cancel(UUID.randomUUID()).expectStatus().isAccepted());
    }

    @SuppressWarnings("unchecked")
    /** The result of each item of a batch of {@code items}, answered 200. */
    private List<Map<String, Object>> batchResults(List<Object> items) {
        return http.post()
                .uri("/api/v1/notifications:batch")
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of("notifications", items))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, List<Map<String, Object>>>>() {})
                .returnResult()
                .getResponseBody()
                .get("results");
    }

    private static String pointer(Map<String, Object> result) {
        return (String) firstError(result).get("pointer");
    }

    private static Map<String, Object> firstError(Map<String, Object> result) {
        Map<String, Object> problem = (Map<String, Object>) result.get("problem");
        return ((List<Map<String, Object>>) problem.get("errors")).getFirst();
    }

    private WebTestClient.ResponseSpec cancel(UUID id) {
        return http.delete()
                .uri("/api/v1/notifications/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange();
    }

    /** A fresh Idempotency-Key whose request was refused for its rate (keyed requests are sent until one is). */
    private String refusedKey(Object body, String bearer) {
        for (int i = 0; i < 20; i++) {
            String key = "limited-" + UUID.randomUUID();
            if (submit(key, body, bearer)
                            .expectBody()
                            .returnResult()
                            .getStatus()
                            .value()
                    == 429) {
                return key;
            }
        }
        throw new AssertionError("20 requests in a row were not refused for their rate");
    }

    private WebTestClient.ResponseSpec submit(String key, Object body, String bearer) {
        return http.post()
                .uri("/api/v1/notifications")
                .headers(h -> {
                    h.setBearerAuth(bearer);
                    if (key != null) {
                        h.set("Idempotency-Key", key);
                    }
                })
                .bodyValue(body)
                .exchange();
    }
}
