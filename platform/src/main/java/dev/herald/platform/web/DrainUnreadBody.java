package dev.herald.platform.web;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads and discards a request body that nothing read before the answer is sent: the body of a request answered
 * from its headers alone (401, 403, a refused URL). An HTTP/1.1 server must read such a body or close the
 * connection after answering (RFC 9112, section 9.6). Left to Reactor Netty, the body is discarded while the
 * answer goes out, and in 1.3.6 a keep-alive connection can then stop reading, so that the client's next request
 * on it waits until the client gives up (reactor/reactor-netty#4361). Closing instead would lose answers: a client
 * still sending the body gets a reset, which can discard the answer it has not read yet. So the body is read first,
 * as Tomcat does: up to {@value #MAX_DRAINED} bytes within {@link #MAX_DRAIN_TIME}; a body larger or slower than
 * that is not read, and the answer closes the connection. A request that asks for {@code 100-continue} is left
 * alone: reading it would invite the body its client holds back, and Reactor Netty closes the connection after an
 * answer that did not ask for that body. A body a handler began to read and gave up (one over the codec's size
 * limit, answered 413) is left to Reactor Netty, which discards the rest. Form and multipart data read through the
 * exchange bypass the watch, so such requests would lose their keep-alive; Herald has none. Runs before every other
 * filter, Spring Security's among them.
 */
final class DrainUnreadBody implements WebFilter, Ordered {

    /** As much as Tomcat reads of a body nothing asked for (its {@code maxSwallowSize}). */
    static final long MAX_DRAINED = 2 * 1024 * 1024;

    static final Duration MAX_DRAIN_TIME = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(DrainUnreadBody.class);

    private final Duration maxDrainTime;

    DrainUnreadBody() {
        this(MAX_DRAIN_TIME);
    }

    DrainUnreadBody(Duration maxDrainTime) {
        this.maxDrainTime = maxDrainTime;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        boolean hasBody = headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
        if (!hasBody || headers.containsHeader(HttpHeaders.EXPECT)) {
            return chain.filter(exchange);
        }
        WatchedBody watched = new WatchedBody(request);
        ServerHttpResponse response = exchange.getResponse();
        response.beforeCommit(() -> watched.subscribed ? Mono.empty() : drain(request, response));
        return chain.filter(exchange.mutate().request(watched).build());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** Reads the body to its end, or marks the answer to close the connection when that takes too much. */
    private Mono<Void> drain(ServerHttpRequest request, ServerHttpResponse response) {
        if (request.getHeaders().getContentLength() > MAX_DRAINED) {
            return close(response);
        }
        return request.getBody()
                .reduce(0L, (read, buffer) -> {
                    long total = read + buffer.readableByteCount();
                    DataBufferUtils.release(buffer);
                    if (total > MAX_DRAINED) {
                        throw new IllegalStateException("unread body larger than " + MAX_DRAINED + " bytes");
                    }
                    return total;
                })
                .timeout(maxDrainTime)
                .then()
                .onErrorResume(e -> {
                    log.debug(
                            "Closing the connection after an answer that left the request body unread: {}",
                            e.toString());
                    return close(response);
                });
    }

    private static Mono<Void> close(ServerHttpResponse response) {
        response.getHeaders().set(HttpHeaders.CONNECTION, "close");
        return Mono.empty();
    }

    /** The request, noting whether anything subscribed to its body. */
    private static final class WatchedBody extends ServerHttpRequestDecorator {

        private volatile boolean subscribed;

        WatchedBody(ServerHttpRequest request) {
            super(request);
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return super.getBody().doOnSubscribe(s -> subscribed = true);
        }
    }
}
