package dev.herald.testkit;

import dev.herald.schemas.kafka.Topic;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node Kafka broker (KRaft) running inside this JVM, for tests and devstack. Transactions
 * work on it: the internal topics use one replica.
 */
public final class KafkaBroker implements AutoCloseable {

    private final EmbeddedKafkaKraftBroker broker;

    private KafkaBroker(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    /** Starts a broker listening on {@code port} of localhost; {@code 0} picks a free port. */
    public static KafkaBroker start(int port) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        if (port > 0) {
            broker.kafkaPorts(port);
        }
        broker.brokerProperties(Map.of(
                "auto.create.topics.enable", "false",
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0",
                "log.cleaner.dedupe.buffer.size", "2097152"));
        broker.afterPropertiesSet();
        return new KafkaBroker(broker);
    }

    /** The {@code bootstrap.servers} value for clients. */
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    /** Creates {@code topics} with their catalogue configuration and {@code partitions} partitions each. */
    public void createTopics(Collection<Topic<?, ?>> topics, int partitions) {
        broker.addTopics(topics.stream()
                .map(topic -> new NewTopic(topic.name(), partitions, (short) 1).configs(topic.configs()))
                .toArray(NewTopic[]::new));
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
