package dev.herald.ingest;

import dev.herald.platform.web.ProblemResponses;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** ingest-api: the HTTP front door for notification requests. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestApiApplication {

    /** What the notification operations answer besides every API's problems. */
    @Bean
    ProblemResponses notificationProblemResponses() {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put(
                "429", "This client's rate limit is spent; retry after `Retry-After` seconds (`RateLimit` tells more)");
        answers.put(
                "503",
                "Redis failed for a request with an `Idempotency-Key`, or (for a single request or a cancellation)"
                        + " the broker did not take it in time; retry after `Retry-After` seconds");
        return new ProblemResponses("/api/v1/notifications", answers, operation -> true);
    }

    /** What a request with an {@code Idempotency-Key} may also be answered. */
    @Bean
    ProblemResponses idempotencyProblemResponses() {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("409", "A request with this `Idempotency-Key` is still running; retry after `Retry-After` seconds");
        answers.put("422", "This `Idempotency-Key` was used with a different body");
        return new ProblemResponses("/api/v1/notifications", answers, operation -> operation.getRequestBody() != null);
    }

    public static void main(String[] args) {
        SpringApplication.run(IngestApiApplication.class, args);
    }
}
