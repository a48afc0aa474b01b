package dev.herald.push.delivery;

import dev.herald.platform.delivery.Deliveries;
import dev.herald.platform.delivery.DeliveryConfiguration;
import dev.herald.platform.delivery.StatusPublisher;
import dev.herald.push.fcm.FcmSender;
import dev.herald.schemas.Channel;
import dev.herald.schemas.PushMessage;
import dev.herald.schemas.kafka.Topics;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The push lanes, delivered through FCM. */
@Configuration(proxyBeanMethods = false)
@Import(DeliveryConfiguration.class)
class PushDeliveryConfiguration {

    @Bean
    Deliveries<PushMessage> pushDeliveries(FcmSender fcm, StatusPublisher status) {
        return new Deliveries<>(
                Channel.PUSH, Topics::pushDeliveries, fcm::send, status, "push-sink", Clock.systemUTC());
    }
}
