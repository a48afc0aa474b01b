package dev.herald.enrich.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;
import org.springframework.web.ErrorResponseException;

class StatusControllerTest {

    @Test
    void aStoreThatCannotBeQueriedYetIsAServiceUnavailableWithRetryAfterNotANotFound() {
        StatusController controller =
                new StatusController(new KafkaStreamsInteractiveQueryService(new StreamsBuilderFactoryBean()) {
                    @Override
                    public <T> T retrieveQueryableStore(String storeName, QueryableStoreType<T> storeType) {
                        // what Spring Kafka throws once its retries run out while Kafka Streams rebalances
                        throw new IllegalStateException(
                                "Error retrieving state store: " + storeName,
                                new InvalidStateStoreException(
                                        "the state store may have migrated to another instance"));
                    }
                });

        assertThatThrownBy(() -> controller.get(UUID.randomUUID()).block())
                .isInstanceOfSatisfying(ErrorResponseException.class, e -> {
                    assertThat(e.getStatusCode().value()).isEqualTo(503);
                    assertThat(e.getHeaders().getFirst("Retry-After")).isEqualTo("1");
                });
    }
}
