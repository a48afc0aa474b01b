package dev.herald.enrich.topology;

import dev.herald.schemas.kafka.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be read to the dead-letter topic ({@code errors.dead.letter.queue.topic.name})
 * and goes on, for every source topic.
 *
 * <p>Kafka Streams 4.2.1 can dead-letter records of stream tasks itself, but not those of the global thread
 * that fills the {@code templates} global table: handing it dead-letter records ends in a {@code
 * ClassCastException} that stops the whole application. For those topics this handler writes the
 * dead-letter record with its own producer (the same record and headers Kafka Streams would write) and
 * tells Kafka Streams only to go on.
 */
public class DeadLetteringDeserializationHandler extends LogAndContinueExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetteringDeserializationHandler.class);

    /** Topics read by the global thread. */
    static final Set<String> GLOBAL_TOPICS = Set.of(Topics.TEMPLATES.name());

    private String deadLetterTopic;
    private Map<String, Object> producerConfig;
    private KafkaProducer<byte[], byte[]> globalDeadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        deadLetterTopic = (String) configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        producerConfig = new HashMap<>();
        producerConfig.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, configs.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!GLOBAL_TOPICS.contains(context.topic()) || deadLetterTopic == null) {
            return super.handleError(context, record, exception);
        }
        log.error(
                "Skipping unreadable record {}-{}@{} of a global table; it goes to {}: {}",
                context.topic(),
                context.partition(),
                context.offset(),
                deadLetterTopic,
                exception.getMessage());
        ProducerRecord<byte[], byte[]> dead = ExceptionHandlerUtils.buildDeadLetterQueueRecord(
                deadLetterTopic, record.key(), record.value(), context, exception);
        producer().send(dead, (metadata, failure) -> {
            if (failure != null) {
                log.error(
                        "Could not dead-letter {}-{}@{}",
                        context.topic(),
                        context.partition(),
                        context.offset(),
                        failure);
            }
        });
        return Response.resume();
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (globalDeadLetters == null) {
            globalDeadLetters =
                    new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return globalDeadLetters;
    }
}
