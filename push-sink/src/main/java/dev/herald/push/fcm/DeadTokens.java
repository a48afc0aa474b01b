package dev.herald.push.fcm;

import dev.herald.platform.delivery.DeliveryProperties;
import dev.herald.platform.kafka.DurableSend;
import dev.herald.platform.kafka.HeraldKafka;
import dev.herald.schemas.InvalidDevice;
import dev.herald.schemas.PushMessage;
import dev.herald.schemas.kafka.Topics;
import java.time.Clock;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Reports tokens FCM refused for good on {@code devices.invalid}, so user-api removes them. */
@Component
class DeadTokens {

    private final KafkaTemplate<String, InvalidDevice> kafka;
    private final DeliveryProperties properties;
    private final Clock clock = Clock.systemUTC();

    DeadTokens(HeraldKafka heraldKafka, DeliveryProperties properties) {
        this.kafka = heraldKafka.template(Topics.INVALID_DEVICES);
        this.properties = properties;
    }

    /** Publishes the dead token of {@code push}, retrying until the broker has it. */
    void report(PushMessage push, String reason) {
        InvalidDevice dead =
                new InvalidDevice(push.userId(), push.token(), reason, push.notificationId(), clock.instant());
        DurableSend.untilAcknowledged(
                kafka, Topics.INVALID_DEVICES.name(), push.userId(), dead, properties.statusTimeout());
    }
}
