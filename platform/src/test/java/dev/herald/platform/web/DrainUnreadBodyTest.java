package dev.herald.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;

class DrainUnreadBodyTest {

    private static final int CHUNK = 64 * 1024;

    private final DrainUnreadBody drain = new DrainUnreadBody(Duration.ofMillis(200));

    /** Answers from the headers alone, as a 401 does. */
    private final WebFilterChain answerWithoutReading =
            exchange -> exchange.getResponse().setComplete();

    /** Reads the body, then answers. */
    private final WebFilterChain readThenAnswer = exchange -> exchange.getRequest()
            .getBody()
            .doOnNext(DataBufferUtils::release)
            .then(exchange.getResponse().setComplete());

    @Test
    void aBodyNothingReadIsReadToItsEndBeforeTheAnswerAndTheConnectionStays() {
        Body body = new Body(Flux.range(0, 4).map(i -> chunk()));
        MockServerWebExchange exchange = post(body.flux(), HttpHeaders.CONTENT_LENGTH, Integer.toString(4 * CHUNK));

        drain.filter(exchange, answerWithoutReading).block(Duration.ofSeconds(5));

        assertThat(body.emitted()).isEqualTo(4);
        assertThat(body.subscriptions()).isOne();
        assertThat(exchange.getResponse().getHeaders().getConnection()).isEmpty();
    }

    @Test
    void aBodyTheHandlerReadIsNotReadAgain() {
        Body body = new Body(Flux.range(0, 2).map(i -> chunk()));
        MockServerWebExchange exchange = post(body.flux(), HttpHeaders.CONTENT_LENGTH, Integer.toString(2 * CHUNK));

        drain.filter(exchange, readThenAnswer).block(Duration.ofSeconds(5));

        assertThat(body.subscriptions()).isOne();
        assertThat(exchange.getResponse().getHeaders().getConnection()).isEmpty();
    }

    @Test
    void aDeclaredBodyOverTheLimitIsNotReadAndTheConnectionCloses() {
        Body body = new Body(Flux.range(0, 48).map(i -> chunk()));
        MockServerWebExchange exchange =
                post(body.flux(), HttpHeaders.CONTENT_LENGTH, Long.toString(DrainUnreadBody.MAX_DRAINED + 1));

        drain.filter(exchange, answerWithoutReading).block(Duration.ofSeconds(5));

        assertThat(body.subscriptions()).isZero();
        assertThat(exchange.getResponse().getHeaders().getConnection()).containsExactly("close");
    }

    @Test
    void aChunkedBodyIsReadNoFurtherThanTheLimitAndTheConnectionCloses() {
        Body body = new Body(Flux.range(0, 48).map(i -> chunk()));
        MockServerWebExchange exchange = post(body.flux(), HttpHeaders.TRANSFER_ENCODING, "chunked");

        drain.filter(exchange, answerWithoutReading).block(Duration.ofSeconds(5));

        // 2 MiB is 32 chunks: the 33rd is one too many
        assertThat(body.emitted()).isEqualTo(33);
        assertThat(exchange.getResponse().getHeaders().getConnection()).containsExactly("close");
    }

    @Test
    void aBodySlowerThanTheLimitIsNotWaitedForAndTheConnectionCloses() {
        Body body = new Body(Flux.concat(Flux.just(chunk()), Flux.never()));
        MockServerWebExchange exchange = post(body.flux(), HttpHeaders.CONTENT_LENGTH, Integer.toString(2 * CHUNK));

        drain.filter(exchange, answerWithoutReading).block(Duration.ofSeconds(5));

        assertThat(exchange.getResponse().isCommitted()).isTrue();
        assertThat(exchange.getResponse().getHeaders().getConnection()).containsExactly("close");
    }

    @Test
    void aRequestWithoutABodyOrAwaitingContinueIsLeftAlone() {
        for (MockServerWebExchange exchange : new MockServerWebExchange[] {
            MockServerWebExchange.from(MockServerHttpRequest.get("/api")),
            post(
                    Flux.just(chunk()),
                    HttpHeaders.CONTENT_LENGTH,
                    Integer.toString(CHUNK),
                    HttpHeaders.EXPECT,
                    "100-continue")
        }) {
            AtomicInteger seen = new AtomicInteger();
            WebFilterChain chain = e -> {
                assertThat(e).isSameAs(exchange);
                seen.incrementAndGet();
                return e.getResponse().setComplete();
            };
            drain.filter(exchange, chain).block(Duration.ofSeconds(5));
            assertThat(seen).hasValue(1);
            assertThat(exchange.getResponse().getHeaders().getConnection()).isEmpty();
        }
    }

    /** @param headers names and values, in turn */
    private static MockServerWebExchange post(Flux<DataBuffer> body, String... headers) {
        MockServerHttpRequest.BodyBuilder request = MockServerHttpRequest.post("/api/v1/notifications");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return MockServerWebExchange.from(request.body(body));
    }

    private static DataBuffer chunk() {
        return DefaultDataBufferFactory.sharedInstance.wrap("x".repeat(CHUNK).getBytes(StandardCharsets.US_ASCII));
    }

    /** A request body that counts its subscriptions and the buffers it emitted. */
    private static final class Body {

        private final AtomicInteger subscriptions = new AtomicInteger();
        private final AtomicInteger emitted = new AtomicInteger();
        private final Flux<DataBuffer> flux;

        Body(Flux<DataBuffer> chunks) {
            this.flux = chunks.doOnSubscribe(s -> subscriptions.incrementAndGet())
                    .doOnNext(buffer -> emitted.incrementAndGet());
        }

        Flux<DataBuffer> flux() {
            return flux;
        }

        int subscriptions() {
            return subscriptions.get();
        }

        int emitted() {
            return emitted.get();
        }
    }
}
