package dev.herald.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

class DurableSendTest {

    private final List<String> attempts = new CopyOnWriteArrayList<>();

    /** Kafka's own producer double, counting attempts; KafkaTemplate closes it after each send, which must not end it. */
    private final MockProducer<String, String> producer =
            new MockProducer<>(false, null, new StringSerializer(), new StringSerializer()) {
                @Override
                public synchronized Future<RecordMetadata> send(
                        ProducerRecord<String, String> record, Callback callback) {
                    attempts.add(record.topic() + ":" + record.key() + "=" + record.value());
                    return super.send(record, callback);
                }

                @Override
                public void close() {}

                @Override
                public void close(Duration timeout) {}
            };

    private final KafkaTemplate<String, String> kafka = new KafkaTemplate<>(() -> producer);

    @Test
    void anOutcomeTheBrokerRefusesIsSentAgainUntilItIsAcknowledged() {
        CompletableFuture<Void> recorded = CompletableFuture.runAsync(() ->
                DurableSend.untilAcknowledged(kafka, "notifications.status", "n-1", "SENT", Duration.ofSeconds(5)));

        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.size() == 1);
        producer.errorNext(new TimeoutException("broker away"));
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.size() == 2);
        producer.errorNext(new TimeoutException("still away"));
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.size() == 3);
        assertThat(recorded).isNotDone();

        producer.completeNext();

        await().atMost(Duration.ofSeconds(5)).until(recorded::isDone);
        assertThat(recorded).isCompleted();
        assertThat(attempts).hasSize(3).containsOnly("notifications.status:n-1=SENT");
    }

    @Test
    void aSingleAttemptReportsTheFailureInsteadOfRetrying() {
        CompletableFuture<Void> once = CompletableFuture.runAsync(
                () -> DurableSend.once(kafka, "notifications.status", "n-2", "RETRYING", Duration.ofSeconds(5)));

        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.size() == 1);
        producer.errorNext(new TimeoutException("broker away"));

        await().atMost(Duration.ofSeconds(5)).until(once::isDone);
        assertThat(once).isCompletedExceptionally();
        assertThat(attempts).hasSize(1);
    }
}
