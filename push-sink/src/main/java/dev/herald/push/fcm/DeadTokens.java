package dev.herald.push.fcm;

import dev.herald.platform.kafka.HeraldKafka;
import dev.herald.schemas.InvalidDevice;
import dev.herald.schemas.PushMessage;
import dev.herald.schemas.kafka.Topics;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Reports tokens FCM refused for good on {@code devices.invalid}, so user-api removes them. */
@Component
class DeadTokens implements DisposableBean {

    private final KafkaTemplate<String, InvalidDevice> kafka;
    private final Clock clock = Clock.systemUTC();

    DeadTokens(HeraldKafka heraldKafka) {
        this.kafka = heraldKafka.template(Topics.INVALID_DEVICES);
    }

    /** Publishes the dead token of {@code push} and waits for the broker. */
    void report(PushMessage push, String reason) {
        InvalidDevice dead =
                new InvalidDevice(push.userId(), push.token(), reason, push.notificationId(), clock.instant());
        try {
            kafka.send(Topics.INVALID_DEVICES.name(), push.userId(), dead).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while reporting a dead token", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not report a dead token of user " + push.userId(), e);
        }
    }

    @Override
    public void destroy() {
        kafka.getProducerFactory().reset();
    }
}
