package dev.herald.ingest.submission;

import dev.herald.platform.kafka.HeraldKafka;
import dev.herald.schemas.kafka.Topics;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The benchmark's baseline, off unless {@code herald.ingest.benchmark-baseline=true}: writes the body as it
 * came to {@code notifications.requested} with the same producer settings as the real endpoint and answers 202
 * after the acknowledgement, keyed like real requests (one key per record), with no authentication, validation, idempotency or rate limiting. What the real
 * endpoint achieves is measured against it.
 */
@RestController
@ConditionalOnProperty(name = "herald.ingest.benchmark-baseline", havingValue = "true")
class BaselineController {

    private final KafkaTemplate<String, byte[]> kafka;

    BaselineController(HeraldKafka heraldKafka, IngestProperties properties) {
        this.kafka = heraldKafka.rawTemplate(RequestPublisher.producerSettings(properties));
    }

    @PostMapping("/bench/baseline")
    Mono<ResponseEntity<Void>> produce(@RequestBody byte[] body) {
        // a fresh key per record spreads them over the partitions as recipients' ids do
        return Mono.fromFuture(() ->
                        kafka.send(Topics.REQUESTS.name(), UUID.randomUUID().toString(), body))
                .thenReturn(ResponseEntity.accepted().build());
    }
}
