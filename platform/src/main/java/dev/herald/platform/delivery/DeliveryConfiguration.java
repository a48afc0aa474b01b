package dev.herald.platform.delivery;

import dev.herald.platform.kafka.HeraldKafka;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.kafka.Topics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * What every sink needs besides its provider: a status publisher and a producer for dead-letter topics.
 * Sinks {@code @Import} it and build their {@link Deliveries} and {@link DeliveryListenerFactory} on it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeliveryProperties.class)
public class DeliveryConfiguration {

    /** Name of the listener container factory a sink's lane listeners use. */
    public static final String LISTENER_FACTORY = "deliveryListenerContainerFactory";

    @Bean
    StatusPublisher statusPublisher(HeraldKafka kafka, DeliveryProperties properties) {
        KafkaTemplate<String, StatusEvent> template = kafka.template(Topics.STATUS);
        return new StatusPublisher(template, properties.statusTimeout());
    }

    @Bean
    KafkaTemplate<String, byte[]> deadLetterTemplate(KafkaProperties kafka) {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                kafka.buildProducerProperties(), new StringSerializer(), new ByteArraySerializer()));
    }
}
