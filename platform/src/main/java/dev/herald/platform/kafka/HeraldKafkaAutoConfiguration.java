package dev.herald.platform.kafka;

import dev.herald.schemas.kafka.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

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
    KafkaAdmin.NewTopics heraldTopics(HeraldKafkaProperties properties) {
        return new KafkaAdmin.NewTopics(Topics.all().stream()
                .map(topic -> new NewTopic(topic.name(), properties.partitions(), properties.replicationFactor())
                        .configs(topic.configs()))
                .toArray(NewTopic[]::new));
    }
}
