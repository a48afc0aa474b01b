package dev.herald.platform.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class CausesTest {

    private final IOException io = new IOException("disk");
    private final CompletionException wrapped = new CompletionException(new UncheckedIOException(io));

    @Test
    void findsTheFirstCauseOfAType() {
        assertThat(Causes.find(wrapped, IOException.class)).containsSame(io);
        assertThat(Causes.find(wrapped, RuntimeException.class)).containsSame(wrapped);
        assertThat(Causes.find(wrapped, TimeoutException.class)).isEmpty();
        assertThat(Causes.find(null, IOException.class)).isEmpty();
    }

    @Test
    void tellsWhetherAnyCauseIsOfOneOfTheTypes() {
        assertThat(Causes.any(wrapped, TimeoutException.class, IOException.class))
                .isTrue();
        assertThat(Causes.any(wrapped, TimeoutException.class, IllegalStateException.class))
                .isFalse();
        assertThat(Causes.any(wrapped)).isFalse();
    }

    @Test
    void describesAFailureWithItsInnermostCause() {
        assertThat(Causes.describe(wrapped)).isEqualTo(wrapped + " (cause: java.io.IOException: disk)");
        assertThat(Causes.describe(io)).isEqualTo("java.io.IOException: disk");
    }
}
