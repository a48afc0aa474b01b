package dev.herald.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.platform.kafka.HeraldKafka;
import dev.herald.platform.outbox.OutboxAutoConfiguration;
import dev.herald.platform.outbox.OutboxProperties;
import dev.herald.platform.outbox.OutboxRelay;
import dev.herald.platform.web.Preconditions;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.KafkaBroker;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.TopicProbe;
import dev.herald.user.profile.PutUserRequest;
import dev.herald.user.profile.UserService;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;

/**
 * The outbox relay under the failures it must survive. The app runs without its own relay; each test starts,
 * stops and kills relays itself, against the real PostgreSQL and broker.
 */
@SpringBootTest(properties = "herald.outbox.relay-enabled=false")
class OutboxRelayIT {

    private static String schema;
    private static final Duration PUBLISHED = Duration.ofSeconds(30);

    /** Short timeouts, so an unfinished batch is retried after 2 s; small batches, so there are several. */
    private static final OutboxProperties RELAY =
            new OutboxProperties(true, Duration.ofMillis(50), 10, Duration.ofSeconds(1));

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
        schema = TestInfrastructure.freshDatabaseSchema(registry, "user_api_relay_it");
        registry.add("herald.users.cache.key-prefix", () -> "herald-test:" + UUID.randomUUID() + ":");
    }

    @Autowired
    UserService users;

    @Autowired
    ConnectionFactory connections;

    @Autowired
    HeraldKafka kafka;

    @Autowired
    DatabaseClient db;

    private final List<OutboxRelay> relays = new ArrayList<>();
    private TopicProbe<String, UserProfile> usersTopic;

    @BeforeEach
    void openProbe() {
        usersTopic = TopicProbe.of(TestInfrastructure.broker().bootstrapServers(), Topics.USERS);
    }

    @AfterEach
    void stopRelays() {
        relays.forEach(OutboxRelay::stop);
        usersTopic.close();
    }

    @Test
    void changesCommittedWhileNoRelayRunsArePublishedOnceAndInOrderWhenOneStarts() {
        List<String> ids = newIds(3);
        writeVersions(ids, 5);
        assertThat(outboxRows()).isGreaterThanOrEqualTo(15);
        assertThat(usersTopic.readFor(Duration.ofSeconds(1), r -> ids.contains(r.key())))
                .isEmpty();

        startRelay(kafka());

        Map<String, List<Long>> revisions = revisionsByUser(ids, 15);
        revisions
                .values()
                .forEach(
                        published -> assertThat(published).hasSize(5).isSorted().doesNotHaveDuplicates());
        assertThat(usersTopic.readFor(Duration.ofSeconds(1), r -> ids.contains(r.key())))
                .hasSize(15);
        awaitEmptyOutbox();
    }

    @Test
    void twoRelaysRunningAtOnceNeverPublishTwiceOrOutOfOrderAndTheSecondTakesOver() {
        OutboxRelay first = startRelay(kafka());
        OutboxRelay second = startRelay(kafka());
        List<String> ids = newIds(4);
        AtomicBoolean bothLed = new AtomicBoolean();
        AtomicBoolean sampling = new AtomicBoolean(true);
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
            while (sampling.get()) {
                if (first.isLeader() && second.isLeader()) {
                    bothLed.set(true);
                }
                Thread.onSpinWait();
            }
        });

        // every user written from its own concurrent stream
        Flux.fromIterable(ids)
                .flatMap(
                        id -> Flux.range(1, 25).concatMap(v -> users.put(id, version(v), Preconditions.NONE)),
                        ids.size())
                .blockLast(Duration.ofSeconds(60));

        Map<String, List<Long>> revisions = revisionsByUser(ids, 100);
        sampling.set(false);
        sampler.join();
        assertThat(bothLed).isFalse();
        assertThat(first.isLeader() ^ second.isLeader()).isTrue();
        revisions
                .values()
                .forEach(published ->
                        assertThat(published).hasSize(25).isSorted().doesNotHaveDuplicates());
        assertThat(usersTopic.readFor(Duration.ofSeconds(1), r -> ids.contains(r.key())))
                .hasSize(100);

        OutboxRelay leader = first.isLeader() ? first : second;
        OutboxRelay standby = leader == first ? second : first;
        leader.stop();
        writeVersions(ids.subList(0, 1), 1);
        await().atMost(PUBLISHED).until(standby::isLeader);
        assertThat(usersTopic.await(r -> ids.getFirst().equals(r.key()), 26, PUBLISHED))
                .hasSize(26);
        awaitEmptyOutbox();
    }

    @Test
    void aRelayKilledAfterTheBrokerAckedABatchButBeforeItsDeleteNeverRepublishesAStaleVersion() {
        List<String> ids = newIds(3);
        writeVersions(ids, 8);
        AtomicInteger acks = new AtomicInteger();
        KafkaTemplate<String, byte[]> producer = kafka();
        // the relay's database session dies once the broker has acknowledged the 5th record of a batch
        KafkaTemplate<String, byte[]> killing = new KafkaTemplate<>(producer.getProducerFactory()) {
            @Override
            public CompletableFuture<SendResult<String, byte[]>> send(String topic, String key, byte[] data) {
                return super.send(topic, key, data).thenApply(result -> {
                    if (acks.incrementAndGet() == 5) {
                        terminateRelaySession();
                    }
                    return result;
                });
            }
        };

        startRelay(killing);

        awaitEmptyOutbox();
        List<ConsumerRecord<String, UserProfile>> records =
                usersTopic.readFor(Duration.ofSeconds(1), r -> ids.contains(r.key()));
        assertThat(records.size()).as("a batch was published again").isGreaterThan(24);
        for (String id : ids) {
            List<Long> published = revisionsOf(records, id);
            assertThat(published).as("versions of %s as published", id).isSorted();
            assertThat(published.getLast()).isEqualTo(currentRevision(id));
        }
    }

    @Test
    void aBrokerOutageLosesNoUpdateAndNeverPublishesAStaleVersionAfterANewerOne() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(0)) {
            broker.createTopics(List.of(Topics.USERS), 2);
            startRelay(kafka(broker.bootstrapServers()));
            List<String> ids = newIds(2);
            writeVersions(ids, 3);
            try (TopicProbe<String, UserProfile> topic = TopicProbe.of(broker.bootstrapServers(), Topics.USERS)) {
                topic.await(r -> ids.contains(r.key()), 6, PUBLISHED);
            }

            broker.stop();
            writeVersions(ids, 3);
            Thread.sleep(3_000); // the relay tries, and fails, while the broker is away
            writeVersions(ids, 2);
            broker.restart();

            awaitEmptyOutbox();
            try (TopicProbe<String, UserProfile> topic = TopicProbe.of(broker.bootstrapServers(), Topics.USERS)) {
                List<ConsumerRecord<String, UserProfile>> records =
                        topic.readFor(Duration.ofSeconds(2), r -> ids.contains(r.key()));
                for (String id : ids) {
                    List<Long> published = revisionsOf(records, id);
                    assertThat(published).as("versions of %s as published", id).isSorted();
                    assertThat(published).hasSizeGreaterThanOrEqualTo(4);
                    assertThat(published.getLast()).isEqualTo(currentRevision(id));
                }
            }
        }
    }

    private OutboxRelay startRelay(KafkaTemplate<String, byte[]> producer) {
        OutboxRelay relay = new OutboxRelay(connections, producer, RELAY);
        relays.add(relay);
        relay.start();
        return relay;
    }

    private KafkaTemplate<String, byte[]> kafka() {
        return OutboxAutoConfiguration.relayProducer(kafka, RELAY);
    }

    private static KafkaTemplate<String, byte[]> kafka(String bootstrapServers) {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        1000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        500,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        500),
                new StringSerializer(),
                new ByteArraySerializer()));
    }

    /** Ends the session of whichever relay leads on this schema, as a crash or a lost connection would. */
    private void terminateRelaySession() {
        db.sql("""
                        SELECT pg_terminate_backend(pid) FROM pg_locks
                        WHERE locktype = 'advisory' AND granted
                          AND objid::text::bigint = (hashtext(:schema || '.outbox')::bigint & 4294967295)
                        """).bind("schema", schema).fetch().all().blockLast(Duration.ofSeconds(10));
    }

    private void writeVersions(List<String> ids, int versions) {
        Flux.fromIterable(ids)
                .concatMap(id -> Flux.range(1, versions).concatMap(v -> users.put(id, version(v), Preconditions.NONE)))
                .blockLast(Duration.ofSeconds(60));
    }

    private static PutUserRequest version(int v) {
        return new PutUserRequest("v" + v + "-" + UUID.randomUUID() + "@example.com", null, null, null, null, null);
    }

    /** Waits for {@code total} records of {@code ids}, and returns each user's revisions in published order. */
    private Map<String, List<Long>> revisionsByUser(List<String> ids, int total) {
        Map<String, List<Long>> revisions = new LinkedHashMap<>();
        ids.forEach(id -> revisions.put(id, new ArrayList<>()));
        usersTopic
                .await(r -> ids.contains(r.key()), total, PUBLISHED)
                .forEach(r -> revisions.get(r.key()).add(r.value().revision()));
        return revisions;
    }

    private static List<Long> revisionsOf(List<ConsumerRecord<String, UserProfile>> records, String id) {
        return records.stream()
                .filter(r -> id.equals(r.key()))
                .map(r -> r.value().revision())
                .toList();
    }

    private long currentRevision(String id) {
        return users.get(id).map(UserProfile::revision).block(Duration.ofSeconds(10));
    }

    private long outboxRows() {
        return db.sql("SELECT count(*) FROM outbox")
                .map(row -> row.get(0, Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }

    private void awaitEmptyOutbox() {
        await().atMost(PUBLISHED).until(() -> outboxRows() == 0);
    }

    private static List<String> newIds(int count) {
        String run = UUID.randomUUID().toString();
        return IntStream.range(0, count).mapToObj(i -> "relay-" + run + "-" + i).toList();
    }
}
