package dev.herald.platform.delivery;

import dev.herald.platform.kafka.HeraldKafka;
import dev.herald.schemas.Priority;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.kafka.Topics;
import java.lang.reflect.Method;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListenerConfigurer;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.MethodKafkaListenerEndpoint;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;

/**
 * Everything a sink needs besides its provider: one consumer per priority lane of the sink's channel, a
 * status publisher, and dead-lettering. A sink {@code @Import}s it and declares one {@link Deliveries} bean.
 *
 * <p>Each lane has its own consumer group ({@code herald-<channel>-<priority>}) and threads, so a large
 * {@code low} campaign never delays a {@code high} password reset.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeliveryProperties.class)
public class DeliveryConfiguration {

    @Bean
    StatusPublisher statusPublisher(HeraldKafka kafka, DeliveryProperties properties) {
        KafkaTemplate<String, StatusEvent> template = kafka.template(Topics.STATUS);
        return new StatusPublisher(template, properties.statusTimeout());
    }

    @Bean
    KafkaTemplate<String, byte[]> deadLetterTemplate(HeraldKafka kafka) {
        return kafka.rawTemplate(Map.of());
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> deliveryListenerContainerFactory(
            KafkaProperties kafka,
            KafkaTemplate<String, byte[]> deadLetterTemplate,
            Deliveries<?> deliveries,
            DeliveryProperties properties) {
        return DeliveryListenerFactory.create(kafka, deadLetterTemplate, deliveries, properties);
    }

    @Bean
    KafkaListenerConfigurer deliveryLanes(
            Deliveries<?> deliveries,
            DeliveryProperties properties,
            ConcurrentKafkaListenerContainerFactory<String, byte[]> deliveryListenerContainerFactory)
            throws NoSuchMethodException {
        Method deliver = Deliveries.class.getMethod("deliver", ConsumerRecord.class);
        DefaultMessageHandlerMethodFactory handlers = new DefaultMessageHandlerMethodFactory();
        handlers.afterPropertiesSet();
        return registrar -> {
            for (Priority priority : Priority.values()) {
                String id = "herald-" + deliveries.channel().wireName() + "-" + priority.wireName();
                MethodKafkaListenerEndpoint<String, byte[]> lane = new MethodKafkaListenerEndpoint<>();
                lane.setId(id);
                lane.setGroupId(id);
                lane.setTopics(deliveries.lane(priority).name());
                lane.setConcurrency(properties.concurrency().get(priority));
                lane.setBean(deliveries);
                lane.setMethod(deliver);
                lane.setMessageHandlerMethodFactory(handlers);
                registrar.registerEndpoint(lane, deliveryListenerContainerFactory);
            }
        };
    }
}
