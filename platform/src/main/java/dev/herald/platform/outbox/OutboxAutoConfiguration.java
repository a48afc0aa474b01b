package dev.herald.platform.outbox;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
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
            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration"
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
            KafkaProperties kafka,
            OutboxProperties properties) {
        Map<String, Object> config = kafka.buildProducerProperties();
        // a relay that cannot reach the broker gives up on the batch, which stays in the outbox
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int)
                properties.publishTimeout().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer()));
        return new OutboxRelay(db, TransactionalOperator.create(transactions), template, properties);
    }
}
