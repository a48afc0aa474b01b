package dev.herald.platform.kafka;

import dev.herald.schemas.kafka.Topic;
import java.util.Map;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * Producers and consumers for catalogue topics, configured from {@code spring.kafka.*} with the topic's own
 * serdes, so no app wires serializers by hand.
 */
public final class HeraldKafka {

    private final KafkaProperties properties;

    public HeraldKafka(KafkaProperties properties) {
        this.properties = properties;
    }

    /** A template that writes to {@code topic} by default, with its serdes; Spring Boot's producer settings. */
    public <K, V> KafkaTemplate<K, V> template(Topic<K, V> topic) {
        return template(topic, Map.of());
    }

    /** Like {@link #template(Topic)}, with producer settings that override Spring Boot's. */
    public <K, V> KafkaTemplate<K, V> template(Topic<K, V> topic, Map<String, Object> overrides) {
        Map<String, Object> config = properties.buildProducerProperties();
        config.putAll(overrides);
        KafkaTemplate<K, V> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                config, topic.keySerde().serializer(), topic.valueSerde().serializer()));
        template.setDefaultTopic(topic.name());
        return template;
    }

    /**
     * A consumer factory for {@code topic} whose deserializers never throw: a record that cannot be read
     * reaches the container's error handler, which dead-letters it.
     */
    public <K, V> ConsumerFactory<K, V> consumerFactory(Topic<K, V> topic) {
        return new DefaultKafkaConsumerFactory<>(
                properties.buildConsumerProperties(),
                new ErrorHandlingDeserializer<>(topic.keySerde().deserializer()),
                new ErrorHandlingDeserializer<>(topic.valueSerde().deserializer()));
    }
}
