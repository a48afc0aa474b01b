package dev.herald.email.delivery;

import dev.herald.platform.delivery.Deliveries;
import dev.herald.platform.delivery.DeliveryConfiguration;
import dev.herald.schemas.EmailMessage;
import dev.herald.schemas.kafka.TopicNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One consumer per priority lane, so a large {@code low} campaign never delays a {@code high} password reset.
 * Concurrency per lane is {@code herald.email.lanes.<priority>.concurrency}.
 */
@Component
class EmailLanes {

    private final Deliveries<EmailMessage> deliveries;

    EmailLanes(Deliveries<EmailMessage> deliveries) {
        this.deliveries = deliveries;
    }

    @KafkaListener(
            id = "herald-email-high",
            topics = TopicNames.DELIVERIES_EMAIL_HIGH,
            containerFactory = DeliveryConfiguration.LISTENER_FACTORY,
            concurrency = "${herald.email.lanes.high.concurrency:2}")
    void high(ConsumerRecord<String, byte[]> record) {
        deliveries.deliver(record);
    }

    @KafkaListener(
            id = "herald-email-normal",
            topics = TopicNames.DELIVERIES_EMAIL_NORMAL,
            containerFactory = DeliveryConfiguration.LISTENER_FACTORY,
            concurrency = "${herald.email.lanes.normal.concurrency:2}")
    void normal(ConsumerRecord<String, byte[]> record) {
        deliveries.deliver(record);
    }

    @KafkaListener(
            id = "herald-email-low",
            topics = TopicNames.DELIVERIES_EMAIL_LOW,
            containerFactory = DeliveryConfiguration.LISTENER_FACTORY,
            concurrency = "${herald.email.lanes.low.concurrency:1}")
    void low(ConsumerRecord<String, byte[]> record) {
        deliveries.deliver(record);
    }
}
