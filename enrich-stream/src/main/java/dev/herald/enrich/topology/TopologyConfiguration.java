package dev.herald.enrich.topology;

import dev.herald.enrich.dispatch.Dispatcher;
import java.time.Clock;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;

/** Runs {@link NotificationTopology} with Spring Boot's {@code spring.kafka.streams.*} settings. */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class TopologyConfiguration {

    @Autowired
    void notificationTopology(StreamsBuilder builder) {
        NotificationTopology.build(builder, new Dispatcher(Clock.systemUTC()));
    }

    @Bean
    KafkaStreamsInteractiveQueryService interactiveQueries(StreamsBuilderFactoryBean streams) {
        return new KafkaStreamsInteractiveQueryService(streams);
    }
}
