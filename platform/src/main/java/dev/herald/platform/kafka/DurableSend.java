package dev.herald.platform.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends that must not be skipped: the outcome of a delivery that already happened. They are retried until
 * the broker acknowledges them, blocking the caller (a sink's lane) meanwhile, since going on would deliver
 * more messages whose outcome cannot be recorded. Only an interrupt (shutdown) ends the wait, leaving the
 * record's offset uncommitted.
 */
public final class DurableSend {

    private static final Logger log = LoggerFactory.getLogger(DurableSend.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

    private DurableSend() {}

    /** Sends once and waits up to {@code timeout} for the acknowledgement. */
    public static <K, V> void once(KafkaTemplate<K, V> kafka, String topic, K key, V value, Duration timeout) {
        try {
            kafka.send(topic, key, value).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not write to " + topic + ": " + e, e);
        }
    }

    /** Sends until acknowledged, each attempt waiting up to {@code attemptTimeout}, with growing pauses. */
    public static <K, V> void untilAcknowledged(
            KafkaTemplate<K, V> kafka, String topic, K key, V value, Duration attemptTimeout) {
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                once(kafka, topic, key, value, attemptTimeout);
                return;
            } catch (KafkaException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                log.warn(
                        "Attempt {} to write to {} failed; trying again in {}: {}",
                        attempt,
                        topic,
                        pause,
                        e.getMessage());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while writing to " + topic, e);
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }
}
