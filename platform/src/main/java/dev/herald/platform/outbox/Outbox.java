package dev.herald.platform.outbox;

import dev.herald.schemas.kafka.Topic;
import java.nio.ByteBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * Records a message for Kafka in the caller's database transaction. The {@link OutboxRelay} publishes it
 * after the transaction commits, so a change and its message are stored or lost together.
 */
public final class Outbox {

    /** Largest payload accepted: the broker's default limit is 1 MiB per record, with room for headers. */
    public static final int MAX_PAYLOAD_BYTES = 900 * 1024;

    private final DatabaseClient db;

    public Outbox(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Appends {@code value} for {@code topic} under {@code key}; a {@code null} value is a tombstone. Must be
     * subscribed inside the transaction that makes the change. A value too large for the broker fails with
     * 413 (rolling the change back), because once in the outbox it would block every row behind it.
     */
    public <V> Mono<Void> append(Topic<String, V> topic, String key, V value) {
        byte[] payload = topic.valueSerde().serializer().serialize(topic.name(), value);
        if (payload != null && payload.length > MAX_PAYLOAD_BYTES) {
            return Mono.error(new ErrorResponseException(
                    HttpStatus.PAYLOAD_TOO_LARGE,
                    ProblemDetail.forStatusAndDetail(
                            HttpStatus.PAYLOAD_TOO_LARGE,
                            "The result is " + payload.length + " bytes as a " + topic.name() + " record; at most "
                                    + MAX_PAYLOAD_BYTES + " fit."),
                    null));
        }
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
