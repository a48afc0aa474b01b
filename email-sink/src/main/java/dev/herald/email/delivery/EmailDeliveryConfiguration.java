package dev.herald.email.delivery;

import dev.herald.platform.delivery.Deliveries;
import dev.herald.platform.delivery.DeliveryConfiguration;
import dev.herald.platform.delivery.StatusPublisher;
import dev.herald.schemas.Channel;
import dev.herald.schemas.EmailMessage;
import dev.herald.schemas.kafka.Topics;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The email lanes, delivered over SMTP. */
@Configuration(proxyBeanMethods = false)
@Import(DeliveryConfiguration.class)
class EmailDeliveryConfiguration {

    @Bean
    Deliveries<EmailMessage> emailDeliveries(SmtpSender smtp, StatusPublisher status) {
        return new Deliveries<>(
                Channel.EMAIL, Topics::emailDeliveries, smtp::send, status, "email-sink", Clock.systemUTC());
    }
}
