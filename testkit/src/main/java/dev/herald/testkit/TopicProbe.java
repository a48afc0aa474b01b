package dev.herald.testkit;

import dev.herald.schemas.kafka.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a catalogue topic from its beginning, through the topic's own serdes (so what a test reads is
 * also proven to match the topic's schema), and waits for the records a test expects.
 */
public final class TopicProbe<K, V> implements AutoCloseable {

    private final Topic<K, V> topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<K, V>> seen = new ArrayList<>();

    private TopicProbe(String bootstrapServers, Topic<K, V> topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "probe-" + UUID.randomUUID(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** A probe of {@code topic} on the broker at {@code bootstrapServers}. */
    public static <K, V> TopicProbe<K, V> of(String bootstrapServers, Topic<K, V> topic) {
        return new TopicProbe<>(bootstrapServers, topic);
    }

    /**
     * Waits until at least {@code count} records match {@code filter} and returns the matching records in
     * the order read (per partition, that is the order written).
     *
     * @throws AssertionError when they do not arrive within {@code timeout}
     */
    public List<ConsumerRecord<K, V>> await(Predicate<ConsumerRecord<K, V>> filter, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<ConsumerRecord<K, V>> matching = seen.stream().filter(filter).toList();
            if (matching.size() >= count) {
                return matching;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("expected " + count + " matching records on " + topic.name() + " within "
                        + timeout + ", got " + matching.size() + " of " + seen.size() + " read: " + matching);
            }
            poll(Duration.ofMillis(200));
        }
    }

    /** Everything that matches {@code filter} after reading for {@code quietPeriod}; for asserting absence. */
    public List<ConsumerRecord<K, V>> readFor(Duration quietPeriod, Predicate<ConsumerRecord<K, V>> filter) {
        Instant deadline = Instant.now().plus(quietPeriod);
        while (Instant.now().isBefore(deadline)) {
            poll(Duration.ofMillis(200));
        }
        return seen.stream().filter(filter).toList();
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> raw : consumer.poll(timeout)) {
            seen.add(new ConsumerRecord<>(
                    raw.topic(),
                    raw.partition(),
                    raw.offset(),
                    raw.timestamp(),
                    raw.timestampType(),
                    raw.serializedKeySize(),
                    raw.serializedValueSize(),
                    topic.keySerde().deserializer().deserialize(raw.topic(), raw.key()),
                    topic.valueSerde().deserializer().deserialize(raw.topic(), raw.value()),
                    raw.headers(),
                    raw.leaderEpoch()));
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
