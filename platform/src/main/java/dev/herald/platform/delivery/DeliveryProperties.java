package dev.herald.platform.delivery;

import dev.herald.schemas.Priority;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a sink treats failures.
 *
 * @param attempts deliveries tried per message before it is dead-lettered (1 means no retry)
 * @param backoff pause between two attempts
 * @param statusTimeout how long a status event may wait for the broker; the record is retried after that
 * @param concurrency consumer threads per priority lane ({@code high}, {@code normal}, {@code low})
 */
@Validated
@ConfigurationProperties("herald.delivery")
public record DeliveryProperties(
        @DefaultValue("3") @Min(1) int attempts,
        @DefaultValue("1s") Duration backoff,
        @DefaultValue("10s") Duration statusTimeout,
        Map<Priority, @Min(1) Integer> concurrency) {

    public DeliveryProperties {
        Map<Priority, Integer> withDefaults =
                new EnumMap<>(Map.of(Priority.HIGH, 2, Priority.NORMAL, 2, Priority.LOW, 1));
        if (concurrency != null) {
            withDefaults.putAll(concurrency);
        }
        concurrency = Map.copyOf(withDefaults);
    }
}
