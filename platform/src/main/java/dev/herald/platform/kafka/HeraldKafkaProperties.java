package dev.herald.platform.kafka;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How an app prepares Herald's topics at start-up.
 *
 * @param createTopics create every catalogue topic that does not exist yet (existing topics are left alone)
 * @param partitions partitions of each topic it creates; topics that are joined must agree
 * @param replicationFactor replicas of each topic it creates (3 in production)
 */
@Validated
@ConfigurationProperties("herald.kafka")
public record HeraldKafkaProperties(
        @DefaultValue("true") boolean createTopics,
        @DefaultValue("3") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor) {}
