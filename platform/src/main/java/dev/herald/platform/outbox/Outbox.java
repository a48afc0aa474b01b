package dev.herald.platform.outbox;

import dev.herald.schemas.kafka.Topic;
import java.nio.ByteBuffer;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Records a message for Kafka in the caller's database transaction. The {@link OutboxRelay} publishes it
 * after the transaction commits, so a change and its message are stored or lost together.
 */
public final class Outbox {

    private final DatabaseClient db;

    public Outbox(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Appends {@code value} for {@code topic} under {@code key}; a {@code null} value is a tombstone. Must be
     * subscribed inside the transaction that makes the change.
     */
    public <V> Mono<Void> append(Topic<String, V> topic, String key, V value) {
        byte[] payload = topic.valueSerde().serializer().serialize(topic.name(), value);
        DatabaseClient.GenericExecuteSpec insert = db.sql(
                        "INSERT INTO outbox (topic, message_key, payload) VALUES (:topic, :key, :payload)")
                .bind("topic", topic.name())
                .bind("key", key);
        insert = payload == null
                ? insert.bindNull("payload", ByteBuffer.class)
                : insert.bind("payload", ByteBuffer.wrap(payload));
        return insert.then();
    }
}
