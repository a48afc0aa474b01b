package dev.herald.platform.outbox;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes outbox rows to Kafka, oldest first, and deletes them once the broker has acknowledged them.
 *
 * <p>Each batch runs in one database transaction that first takes a transaction-scoped advisory lock, so
 * when several instances run only one publishes at a time and per-key order holds. The idempotent producer
 * keeps a batch's records in order per partition; if any of them fails, the transaction rolls back and the
 * whole batch is sent again. A crash after the broker's acknowledgement and before the commit republishes
 * the same batch: delivery is at least once, in commit order per key.
 */
public final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final KafkaTemplate<String, byte[]> kafka;
    private final OutboxProperties properties;
    private volatile Disposable polling;

    public OutboxRelay(
            DatabaseClient db,
            TransactionalOperator tx,
            KafkaTemplate<String, byte[]> kafka,
            OutboxProperties properties) {
        this.db = db;
        this.tx = tx;
        this.kafka = kafka;
        this.properties = properties;
    }

    @Override
    public void start() {
        polling = Flux.interval(properties.pollInterval())
                .onBackpressureDrop()
                .concatMap(tick -> drain(), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = polling;
        if (current != null) {
            current.dispose();
        }
        polling = null;
    }

    @Override
    public boolean isRunning() {
        return polling != null;
    }

    /** Publishes batches until the outbox is empty or another instance holds the lock. */
    Mono<Integer> drain() {
        return relayBatch()
                .expand(published -> published == properties.batchSize() ? relayBatch() : Mono.empty())
                .reduce(0, Integer::sum)
                .onErrorResume(e -> {
                    log.warn("Outbox relay failed; the batch stays in the outbox and is retried: {}", e.toString());
                    return Mono.just(0);
                });
    }

    /** Publishes and deletes one batch; emits how many rows it took (0 when idle or locked out). */
    Mono<Integer> relayBatch() {
        Mono<Integer> batch = db.sql("SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox'))")
                .map(row -> row.get(0, Boolean.class))
                .one()
                .filter(Boolean::booleanValue)
                .flatMap(locked -> db.sql("SELECT id, topic, message_key, payload FROM outbox ORDER BY id LIMIT :limit")
                        .bind("limit", properties.batchSize())
                        .map(row -> new Row(
                                row.get("id", Long.class),
                                row.get("topic", String.class),
                                row.get("message_key", String.class),
                                row.get("payload", ByteBuffer.class)))
                        .all()
                        .collectList())
                .filter(rows -> !rows.isEmpty())
                .flatMap(rows -> publish(rows).then(delete(rows)).thenReturn(rows.size()));
        // a batch that hangs (database or broker) is abandoned and rolled back, so the next tick can retry it
        return tx.transactional(batch)
                .timeout(properties.publishTimeout().plusSeconds(10))
                .defaultIfEmpty(0);
    }

    private Mono<Void> publish(List<Row> rows) {
        // send() may block on metadata while the broker is away: keep it off the database's event loop
        return Mono.fromCallable(() -> {
                    List<CompletableFuture<?>> acks = new ArrayList<>();
                    for (Row row : rows) {
                        acks.add(kafka.send(row.topic(), row.key(), row.payloadBytes()));
                    }
                    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(Mono::fromFuture);
    }

    private Mono<Void> delete(List<Row> rows) {
        Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
        return db.sql("DELETE FROM outbox WHERE id = ANY(:ids)")
                .bind("ids", ids)
                .then();
    }

    private record Row(long id, String topic, String key, ByteBuffer payload) {
        byte[] payloadBytes() {
            if (payload == null) {
                return null;
            }
            byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            return bytes;
        }
    }
}
