package dev.herald.platform.kafka;

import dev.herald.schemas.kafka.Topic;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Producers for catalogue topics, configured from {@code spring.kafka.*} with the topic's own serdes, so no
 * app wires serializers by hand. It closes every producer it made when the application stops, flushing what
 * they still hold.
 */
public final class HeraldKafka implements DisposableBean {

    private final KafkaProperties properties;
    private final List<DefaultKafkaProducerFactory<?, ?>> factories = new CopyOnWriteArrayList<>();

    public HeraldKafka(KafkaProperties properties) {
        this.properties = properties;
    }

    /** A template that writes to {@code topic} by default, with its serdes; Spring Boot's producer settings. */
    public <K, V> KafkaTemplate<K, V> template(Topic<K, V> topic) {
        return template(topic, Map.of());
    }

    /** Like {@link #template(Topic)}, with producer settings that override Spring Boot's. */
    public <K, V> KafkaTemplate<K, V> template(Topic<K, V> topic, Map<String, Object> overrides) {
        KafkaTemplate<K, V> template =
                template(topic.keySerde().serializer(), topic.valueSerde().serializer(), overrides);
        template.setDefaultTopic(topic.name());
        return template;
    }

    /** A template for records already serialised (outbox rows, dead letters), to any topic. */
    public KafkaTemplate<String, byte[]> rawTemplate(Map<String, Object> overrides) {
        return template(new StringSerializer(), new ByteArraySerializer(), overrides);
    }

    private <K, V> KafkaTemplate<K, V> template(
            Serializer<K> keys, Serializer<V> values, Map<String, Object> overrides) {
        Map<String, Object> config = properties.buildProducerProperties();
        config.putAll(overrides);
        DefaultKafkaProducerFactory<K, V> factory = new DefaultKafkaProducerFactory<>(config, keys, values);
        factories.add(factory);
        return new KafkaTemplate<>(factory);
    }

    @Override
    public void destroy() {
        factories.forEach(DefaultKafkaProducerFactory::destroy);
    }
}
