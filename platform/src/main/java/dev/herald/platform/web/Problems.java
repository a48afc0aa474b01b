package dev.herald.platform.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes RFC 9457 problem details ({@code application/problem+json}) straight onto a response. */
public final class Problems {

    private final JsonMapper json;

    public Problems(JsonMapper json) {
        this.json = json;
    }

    /**
     * An error answered with {@code status}, {@code detail} and {@code Retry-After: 1}: for conditions a retry a
     * moment later may clear (a dependency away, a duplicate still running).
     */
    public static ErrorResponseException retryLater(HttpStatus status, String detail, Throwable cause) {
        ErrorResponseException error =
                new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), cause);
        error.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return error;
    }

    /** A problem of {@code status} with a human-readable {@code detail}. */
    public static ProblemDetail of(HttpStatusCode status, String detail) {
        return ProblemDetail.forStatusAndDetail(status, detail);
    }

    /** Writes {@code problem} as the response to {@code exchange}, with the request path as its instance. */
    public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem) {
        ServerHttpResponse response = exchange.getResponse();
        if (problem.getInstance() == null) {
            problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        }
        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(asMap(problem));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** The members of {@code problem} in RFC 9457 order, extension members last. */
    public static Map<String, Object> asMap(ProblemDetail problem) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(
                "type",
                problem.getType() == null ? "about:blank" : problem.getType().toString());
        HttpStatus status = HttpStatus.resolve(problem.getStatus());
        map.put("title", problem.getTitle() != null || status == null ? problem.getTitle() : status.getReasonPhrase());
        map.put("status", problem.getStatus());
        if (problem.getDetail() != null) {
            map.put("detail", problem.getDetail());
        }
        if (problem.getInstance() != null) {
            map.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            map.putAll(problem.getProperties());
        }
        return map;
    }
}
