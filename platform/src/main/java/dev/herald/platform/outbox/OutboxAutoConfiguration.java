package dev.herald.platform.outbox;

import dev.herald.platform.kafka.HeraldKafka;
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
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

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
    OutboxRelay outboxRelay(
            DatabaseClient db,
            ReactiveTransactionManager transactions,
            HeraldKafka kafka,
            OutboxProperties properties) {
        // The producer gives up on a batch before the relay does, so a batch the relay rolled back cannot
        // still land after a newer one published by another instance.
        int timeoutMs = (int) properties.publishTimeout().toMillis();
        KafkaTemplate<String, byte[]> template = kafka.rawTemplate(Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs / 2,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs / 2));
        return new OutboxRelay(db, TransactionalOperator.create(transactions), template, properties);
    }
}
