package dev.herald.platform.outbox;

import dev.herald.platform.failure.Causes;
import dev.herald.platform.failure.Throttle;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes outbox rows to Kafka in id order and deletes them once the broker has acknowledged them.
 *
 * <p><b>One publisher at a time.</b> The relay keeps its own database session (not a pooled connection) and
 * publishes only while that session holds a PostgreSQL advisory lock named after the schema's outbox. Any
 * number of instances may run: the others stand by and take over when the leader's session ends, which
 * PostgreSQL notices when the leader stops, crashes or loses its connection.
 *
 * <p><b>Order and no loss.</b> Writes to one key append their rows under that key's row lock, so per key the
 * id order is the commit order, and the relay publishes in id order with an idempotent producer. A row leaves
 * the outbox only after the broker acknowledged it (or a newer row of its key), so no committed change is
 * lost to a crash or a broker outage.
 *
 * <p><b>No stale version after a newer one.</b> Before sending a batch the relay marks it claimed, in its own
 * committed statement. A claimed row still in the outbox may or may not have reached the broker: its relay
 * died or the broker did not answer. Such rows are left alone for {@link #claimExpiry(OutboxProperties) twice
 * the publish timeout}, after which every send of the earlier attempt has either landed or failed for good,
 * and then only the newest claimed row of each key is published again. So a retry never repeats an older
 * version after a newer one; a crash mid-batch can repeat the newest version, and can skip versions that the
 * newest one supersedes, which a compacted topic's readers never miss.
 */
public final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private static final String TRY_LEAD = "SELECT pg_try_advisory_lock(hashtext(current_schema() || '.outbox'))";

    /**
     * Claims the oldest rows unless an earlier claim is still unresolved; returns each row with the claim it
     * had before, if any.
     */
    private static final String CLAIM = """
            WITH pending AS (SELECT id, claimed_at FROM outbox ORDER BY id LIMIT $1)
            UPDATE outbox o SET claimed_at = clock_timestamp()
            FROM pending p
            WHERE o.id = p.id
              AND NOT EXISTS (
                  SELECT 1 FROM outbox u WHERE u.claimed_at > clock_timestamp() - $2::bigint * interval '1 millisecond')
            RETURNING o.id, o.topic, o.message_key, o.payload, p.claimed_at AS previous_claim
            """;

    private static final String DELETE = "DELETE FROM outbox WHERE id = ANY($1)";

    private final ConnectionFactory connections;
    private final KafkaTemplate<String, byte[]> kafka;
    private final OutboxProperties properties;
    private volatile CountDownLatch finished = new CountDownLatch(0);
    private volatile Disposable polling;
    private volatile boolean stopping;
    /** The relay's own session; touched only by the polling loop, one tick at a time, and by stop. */
    private volatile Connection session;

    private final Throttle warnings = new Throttle(Duration.ofSeconds(10));

    private volatile boolean leader;

    /**
     * @param connections the app's database; a connection pool is unwrapped, because the leadership lock
     *     belongs to a session that must end when the relay does
     * @param kafka a producer whose sends all end within {@link OutboxProperties#publishTimeout()}
     */
    public OutboxRelay(
            ConnectionFactory connections, KafkaTemplate<String, byte[]> kafka, OutboxProperties properties) {
        this.connections = unpooled(connections);
        this.kafka = kafka;
        this.properties = properties;
    }

    /** How long a claimed row waits before it is published again. */
    static Duration claimExpiry(OutboxProperties properties) {
        return properties.publishTimeout().multipliedBy(2);
    }

    @Override
    public void start() {
        stopping = false;
        CountDownLatch finished = new CountDownLatch(1);
        this.finished = finished;
        polling = Flux.interval(properties.pollInterval())
                .onBackpressureDrop()
                .takeWhile(tick -> !stopping)
                .concatMap(tick -> drain(), 1)
                .doFinally(signal -> finished.countDown())
                .subscribe();
    }

    /** Lets a batch in flight finish, then ends the session, which hands leadership to another instance. */
    @Override
    public void stop() {
        stopping = true;
        Disposable current = polling;
        if (current != null) {
            try {
                this.finished.await(claimExpiry(properties).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            current.dispose();
        }
        polling = null;
        endSession().block(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return polling != null;
    }

    /** Whether this instance currently publishes. */
    public boolean isLeader() {
        return leader;
    }

    /** Publishes batches until the outbox is empty, a claim is unresolved, or another instance leads. */
    Mono<Integer> drain() {
        return lead().flatMap(leading -> leading
                        ? relayBatch()
                                .expand(published ->
                                        !stopping && published == properties.batchSize() ? relayBatch() : Mono.empty())
                                .reduce(0, Integer::sum)
                        : Mono.just(0))
                .onErrorResume(e -> {
                    if (warnings.tryPass()) {
                        log.warn(
                                "Outbox relay failed; unpublished rows stay in the outbox and are retried (logged at"
                                        + " most every 10 s): {}",
                                Causes.describe(e));
                    }
                    return endSession().thenReturn(0);
                });
    }

    /** Opens the relay's session if needed and tries to take the leadership lock; emits whether it leads. */
    private Mono<Boolean> lead() {
        if (leader) {
            return Mono.just(true);
        }
        Mono<Connection> open = session != null
                ? Mono.just(session)
                : Mono.<Connection>from(connections.create()).doOnNext(connection -> session = connection);
        return open.flatMap(connection -> query(connection.createStatement(TRY_LEAD), row -> row.get(0, Boolean.class))
                        .single())
                .doOnNext(leading -> {
                    if (leading) {
                        log.info("Outbox relay is the publishing instance");
                    }
                    leader = leading;
                });
    }

    /** Publishes one batch; emits how many rows it took off the outbox (0 when idle or waiting on a claim). */
    Mono<Integer> relayBatch() {
        Connection connection = session;
        Statement claim = connection
                .createStatement(CLAIM)
                .bind("$1", properties.batchSize())
                .bind("$2", claimExpiry(properties).toMillis());
        return query(claim, Row::of)
                .collectList()
                .flatMap(rows -> rows.isEmpty() ? Mono.just(0) : publish(rows, connection))
                // a batch that hangs (database or broker) fails, and the session with it
                .timeout(claimExpiry(properties).plusSeconds(10));
    }

    private Mono<Integer> publish(List<Row> claimed, Connection connection) {
        List<Row> rows =
                claimed.stream().sorted(Comparator.comparingLong(Row::id)).toList();
        Set<Row> superseded = supersededRetries(rows);
        List<Row> toSend =
                rows.stream().filter(row -> !superseded.contains(row)).toList();
        // send() may block on metadata while the broker is away: keep it off the database's event loop
        return Mono.fromCallable(() -> send(toSend))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(sends ->
                        Mono.fromFuture(CompletableFuture.allOf(sends.values().toArray(CompletableFuture[]::new))
                                .handle((ok, e) -> new Outcome(sends, e == null ? null : unwrap(e)))))
                .flatMap(outcome -> {
                    List<Row> done = removable(rows, superseded, outcome.acknowledged());
                    Mono<Void> delete = done.isEmpty()
                            ? Mono.empty()
                            : Flux.from(connection
                                            .createStatement(DELETE)
                                            .bind(
                                                    "$1",
                                                    done.stream().map(Row::id).toArray(Long[]::new))
                                            .execute())
                                    .flatMap(Result::getRowsUpdated)
                                    .then();
                    return outcome.failure() == null
                            ? delete.thenReturn(rows.size())
                            : delete.then(Mono.error(outcome.failure()));
                });
    }

    /**
     * Sends rows in id order; the idempotent producer keeps that order per partition. Once a send fails at
     * once (no metadata within {@code max.block.ms}: the broker is away), the rest are not tried, so a batch
     * cannot outlast its claim by blocking once per row.
     */
    private Map<Row, CompletableFuture<?>> send(List<Row> rows) {
        Map<Row, CompletableFuture<?>> sends = new HashMap<>();
        RuntimeException refused = null;
        for (Row row : rows) {
            CompletableFuture<?> ack;
            if (refused != null) {
                ack = CompletableFuture.failedFuture(refused);
            } else {
                try {
                    ack = kafka.send(row.topic(), row.key(), row.payloadBytes());
                } catch (RuntimeException e) {
                    refused = e;
                    ack = CompletableFuture.failedFuture(e);
                }
            }
            sends.put(row, ack);
        }
        return sends;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /**
     * Rows an earlier attempt claimed may have reached the broker; of those, only the newest of each key is
     * sent again, so no retry repeats an older version after a newer one.
     */
    static Set<Row> supersededRetries(List<Row> rows) {
        Map<String, Long> newestRetry = new HashMap<>();
        for (Row row : rows) {
            if (row.previousClaim() != null) {
                newestRetry.merge(row.destination(), row.id(), Math::max);
            }
        }
        Set<Row> superseded = new HashSet<>();
        for (Row row : rows) {
            if (row.previousClaim() != null && row.id() < newestRetry.get(row.destination())) {
                superseded.add(row);
            }
        }
        return superseded;
    }

    /**
     * Rows that may leave the outbox: those the broker acknowledged, those superseded, and any row older than an
     * acknowledged row of its key (which, if it landed at all, landed before it).
     */
    static List<Row> removable(List<Row> rows, Set<Row> superseded, Set<Row> acknowledged) {
        Map<String, Long> newestAcknowledged = new HashMap<>();
        for (Row row : acknowledged) {
            newestAcknowledged.merge(row.destination(), row.id(), Math::max);
        }
        List<Row> removable = new ArrayList<>();
        for (Row row : rows) {
            if (superseded.contains(row) || row.id() <= newestAcknowledged.getOrDefault(row.destination(), -1L)) {
                removable.add(row);
            }
        }
        return removable;
    }

    private Mono<Void> endSession() {
        Connection connection = session;
        session = null;
        leader = false;
        if (connection == null) {
            return Mono.empty();
        }
        // closing the session releases the lock
        return Mono.from(connection.close()).onErrorResume(e -> Mono.empty()).then();
    }

    private static <T> Flux<T> query(Statement statement, Function<Readable, T> mapper) {
        return Flux.from(statement.execute()).flatMap(result -> result.map(mapper::apply));
    }

    private static ConnectionFactory unpooled(ConnectionFactory connections) {
        ConnectionFactory current = connections;
        while (current instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof ConnectionFactory inner) {
            current = inner;
        }
        return current;
    }

    private record Outcome(Map<Row, CompletableFuture<?>> sends, Throwable failure) {

        Set<Row> acknowledged() {
            Set<Row> acknowledged = new HashSet<>();
            sends.forEach((row, ack) -> {
                if (ack.isDone() && !ack.isCompletedExceptionally()) {
                    acknowledged.add(row);
                }
            });
            return acknowledged;
        }
    }

    /** An outbox row, with the claim an earlier attempt put on it, if any. */
    record Row(long id, String topic, String key, ByteBuffer payload, OffsetDateTime previousClaim) {

        static Row of(Readable row) {
            return new Row(
                    row.get("id", Long.class),
                    row.get("topic", String.class),
                    row.get("message_key", String.class),
                    row.get("payload", ByteBuffer.class),
                    row.get("previous_claim", OffsetDateTime.class));
        }

        String destination() {
            return topic + '\u0000' + key;
        }

        byte[] payloadBytes() {
            if (payload == null) {
                return null;
            }
            byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            return bytes;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Row row && row.id == id;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id);
        }
    }
}
