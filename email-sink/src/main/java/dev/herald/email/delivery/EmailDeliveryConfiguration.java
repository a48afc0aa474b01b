package dev.herald.email.delivery;

import dev.herald.platform.delivery.Deliveries;
import dev.herald.platform.delivery.DeliveryConfiguration;
import dev.herald.platform.delivery.DeliveryListenerFactory;
import dev.herald.platform.delivery.DeliveryProperties;
import dev.herald.platform.delivery.StatusPublisher;
import dev.herald.schemas.EmailMessage;
import dev.herald.schemas.Priority;
import dev.herald.schemas.kafka.Topics;
import java.time.Clock;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;

@Configuration(proxyBeanMethods = false)
@Import(DeliveryConfiguration.class)
class EmailDeliveryConfiguration {

    @Bean
    Deliveries<EmailMessage> emailDeliveries(SmtpSender smtp, StatusPublisher status) {
        return new Deliveries<>(
                Topics.emailDeliveries(Priority.NORMAL), smtp::send, status, "email-sink", Clock.systemUTC());
    }

    @Bean(DeliveryConfiguration.LISTENER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, byte[]> deliveryListenerContainerFactory(
            KafkaProperties kafka,
            KafkaTemplate<String, byte[]> deadLetterTemplate,
            Deliveries<EmailMessage> deliveries,
            DeliveryProperties properties) {
        return DeliveryListenerFactory.create(kafka, deadLetterTemplate, deliveries, properties);
    }
}
