package dev.herald.ingest.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.schemas.Cancellation;
import dev.herald.schemas.NotificationRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.web.ErrorResponseException;
import reactor.test.StepVerifier;

/**
 * The publisher against Kafka's {@link MockProducer}, which lets each send be acknowledged, failed or left
 * hanging: what a broker outage looks like from the producer, without waiting for one.
 */
class RequestPublisherTest {

    /** The thread each record was serialised on: the one that called {@code send()}. */
    private final List<String> sendingThreads = new CopyOnWriteArrayList<>();

    private final MockProducer<String, NotificationRequest> producer =
            new MockProducer<>(false, null, new StringSerializer(), (topic, request) -> {
                sendingThreads.add(Thread.currentThread().getName());
                return new byte[0];
            }) {
                // the template closes a producer it does not know to be shared after each send
                @Override
                public void close() {}

                @Override
                public void close(Duration timeout) {}
            };

    private final RequestPublisher publisher = new RequestPublisher(
            new KafkaTemplate<>(new MockProducerFactory<>(() -> producer)),
            new KafkaTemplate<>(
                    new MockProducerFactory<>(() -> new MockProducer<String, Cancellation>(true, null, null, null))),
            Duration.ofMillis(500));

    @Test
    void aSendTheProducerNeverEndsIsAnswered503OnceTheBackstopExpires() {
        StepVerifier.create(publisher.publish(request()))
                .expectErrorSatisfies(e -> assertThat(status(e)).isEqualTo(503))
                .verify(Duration.ofSeconds(5));
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void aRecordTooLargeForTheBrokerIsAnswered413() {
        StepVerifier.create(publisher.publish(request()))
                .then(() -> await().atMost(Duration.ofSeconds(5))
                        .until(() -> producer.errorNext(new RecordTooLargeException("1,500,000 bytes"))))
                .expectErrorSatisfies(e -> assertThat(status(e)).isEqualTo(413))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aSendIsMadeInlineOnlyWhileTheBrokerAcknowledgesSendsMadeAfterItsLastFailure() {
        // cold: the first send goes to a worker
        acknowledge();
        assertThat(sendingThreads.getLast()).startsWith("boundedElastic");

        // warm: the next is sent on the caller's thread
        acknowledge();
        assertThat(sendingThreads.getLast()).isEqualTo(Thread.currentThread().getName());

        // a send fails; another, made before the failure, is acknowledged after it: the topic is cold
        List<String> outcomes = new CopyOnWriteArrayList<>();
        publisher
                .publish(request())
                .subscribe(null, e -> outcomes.add("failed " + status(e)), () -> outcomes.add("ok"));
        publisher
                .publish(request())
                .subscribe(null, e -> outcomes.add("failed " + status(e)), () -> outcomes.add("ok"));
        assertThat(producer.errorNext(new TimeoutException("no broker"))).isTrue();
        assertThat(producer.completeNext()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 2);
        assertThat(outcomes).containsExactly("failed 503", "ok");
        acknowledge();
        assertThat(sendingThreads.getLast()).startsWith("boundedElastic");

        // the acknowledgement of a send made after the failure makes it warm again
        acknowledge();
        assertThat(sendingThreads.getLast()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void aBrokerThatFallsBehindGetsNoMoreSendsFromTheCallersThread() {
        acknowledge();
        acknowledge();
        String caller = Thread.currentThread().getName();
        for (int i = 0; i < 300; i++) {
            publisher.publish(request()).subscribe();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sendingThreads.size() == 302);
        // the second warm-up send and 256 of the 300 unacknowledged ones
        assertThat(sendingThreads.stream().filter(caller::equals)).hasSize(1 + 256);
        while (producer.completeNext()) {
            // acknowledge them all
        }
    }

    /** Publishes a request and acknowledges it. */
    private void acknowledge() {
        StepVerifier.create(publisher.publish(request()))
                .then(() -> await().atMost(Duration.ofSeconds(5)).until(producer::completeNext))
                .verifyComplete();
    }

    private static int status(Throwable e) {
        return ((ErrorResponseException) e).getStatusCode().value();
    }

    private static NotificationRequest request() {
        return new NotificationRequest(
                UUID.randomUUID(), "u-1", "welcome", null, null, null, null, null, null, null, Instant.now());
    }
}
