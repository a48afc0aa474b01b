package dev.herald.platform.outbox;

import dev.herald.platform.kafka.HeraldKafka;
import io.r2dbc.spi.ConnectionFactory;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

/** The transactional outbox, for apps that own an R2DBC database. */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
            "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration",
            "org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration",
            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
            "dev.herald.platform.kafka.HeraldKafkaAutoConfiguration"
        })
@ConditionalOnClass(name = {"org.springframework.r2dbc.core.DatabaseClient", "io.r2dbc.spi.ConnectionFactory"})
@ConditionalOnBean(type = "io.r2dbc.spi.ConnectionFactory")
@EnableConfigurationProperties(OutboxProperties.class)
public class OutboxAutoConfiguration {

    @Bean
    Outbox outbox(DatabaseClient db) {
        return new Outbox(db);
    }

    @Bean
    @ConditionalOnProperty(name = "herald.outbox.relay-enabled", matchIfMissing = true)
    OutboxRelay outboxRelay(ConnectionFactory connections, HeraldKafka kafka, OutboxProperties properties) {
        return new OutboxRelay(connections, relayProducer(kafka, properties), properties);
    }

    /**
     * A producer whose every send has landed or failed for good within the publish timeout, so a batch the
     * relay gave up on cannot still land after a newer one.
     */
    public static KafkaTemplate<String, byte[]> relayProducer(HeraldKafka kafka, OutboxProperties properties) {
        int timeoutMs = (int) properties.publishTimeout().toMillis();
        return kafka.rawTemplate(Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs / 2,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs / 2));
    }
}
