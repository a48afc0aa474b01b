package dev.herald.enrich.topology;

import dev.herald.enrich.dispatch.Dispatcher;
import dev.herald.platform.kafka.HeraldKafkaProperties;
import java.time.Clock;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;

/** Runs {@link NotificationTopology} with Spring Boot's {@code spring.kafka.streams.*} settings. */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
@EnableConfigurationProperties(EnrichProperties.class)
class TopologyConfiguration {

    @Autowired
    void notificationTopology(StreamsBuilder builder, EnrichProperties settings, HeraldKafkaProperties kafka) {
        NotificationTopology.build(
                builder, new Dispatcher(Clock.systemUTC(), settings.maxScheduleAhead()), settings, kafka.partitions());
    }

    @Bean
    KafkaStreamsInteractiveQueryService interactiveQueries(StreamsBuilderFactoryBean streams) {
        return new KafkaStreamsInteractiveQueryService(streams);
    }
}
