package dev.herald.platform.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/** Catalogue-aware Kafka plumbing, and creation of the catalogue's topics at start-up. */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(HeraldKafkaProperties.class)
public class HeraldKafkaAutoConfiguration {

    @Bean
    HeraldKafka heraldKafka(KafkaProperties properties) {
        return new HeraldKafka(properties);
    }

    /**
     * Every app declares the whole catalogue, so whichever starts first creates it: Kafka Streams refuses to
     * start on missing source topics, and sinks must find their dead-letter topics.
     */
    @Bean
    @ConditionalOnProperty(name = "herald.kafka.create-topics", matchIfMissing = true)
    TopicCreator heraldTopics(KafkaProperties kafka, HeraldKafkaProperties properties) {
        return new TopicCreator(kafka.buildAdminProperties(), properties);
    }
}
