package dev.herald.ingest.submission;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestPropertiesTest {

    @Test
    void aStatusBaseUrlWithAQueryOrFragmentIsRefused() {
        assertThatNoException().isThrownBy(() -> properties("https://status.example/herald"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> properties("https://status.example/?tenant=a"))
                .withMessageContaining("herald.ingest.status-base-url");
        assertThatIllegalArgumentException().isThrownBy(() -> properties("https://status.example/#top"));
    }

    private static IngestProperties properties(String statusBaseUrl) {
        return new IngestProperties(
                Duration.ofSeconds(5),
                URI.create(statusBaseUrl),
                Duration.ofDays(30),
                Duration.ofMinutes(5),
                Duration.ofHours(24),
                new IngestProperties.RateLimit(true, 10, 10, null));
    }
}
