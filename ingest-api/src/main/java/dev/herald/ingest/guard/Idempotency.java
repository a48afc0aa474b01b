package dev.herald.ingest.guard;

import dev.herald.ingest.submission.IngestProperties;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key}: the first request with a key runs and its answer is kept in Redis for {@code
 * herald.ingest.idempotency-ttl}; the same key with the same body gets that answer again without running, the
 * same key with another body gets 422, and a request arriving while the first still runs gets 409 with {@code
 * Retry-After}. Keys are per client. While Redis fails, requests with a key get 503: without Redis their
 * promise cannot be kept.
 */
@Component
public class Idempotency {

    /** Header a replayed answer carries. */
    public static final String REPLAYED = "Idempotent-Replayed";

    private static final Logger log = LoggerFactory.getLogger(Idempotency.class);

    /** How long a running request holds its key before another may take it (it has failed or hung). */
    private static final Duration RUNNING = Duration.ofSeconds(60);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final Duration ttl;

    Idempotency(ReactiveStringRedisTemplate redis, JsonMapper json, IngestProperties properties) {
        this.redis = redis;
        this.json = json;
        this.ttl = properties.idempotencyTtl();
    }

    /**
     * Runs {@code work} once per {@code key} of {@code client}; without a key it just runs it.
     *
     * @param body what the request asks, serialised the same way each time; its digest tells a retry from a
     *     different request under the same key
     */
    public Mono<Answer> once(String client, String key, Object body, Supplier<Mono<Answer>> work) {
        if (key == null) {
            return work.get();
        }
        if (key.isBlank() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            return Mono.error(new ErrorResponseException(
                    HttpStatus.BAD_REQUEST,
                    ProblemDetail.forStatusAndDetail(
                            HttpStatus.BAD_REQUEST, "Idempotency-Key must be 1 to 255 visible ASCII characters."),
                    null));
        }
        String redisKey = "herald:idempotency:" + client + ":" + key;
        String fingerprint = fingerprint(body);
        String running = json.writeValueAsString(new Entry(fingerprint, null));
        return redis.opsForValue()
                .setIfAbsent(redisKey, running, RUNNING)
                .onErrorMap(RedisFailure::is, Idempotency::unavailable)
                .flatMap(claimed -> claimed
                        ? work.get()
                                .flatMap(answer -> answer.keep()
                                        ? remember(redisKey, fingerprint, answer)
                                        : release(redisKey).thenReturn(answer))
                                .onErrorResume(e -> release(redisKey).then(Mono.error(e)))
                                // a client that hangs up must not leave its key held
                                .doOnCancel(() -> release(redisKey).subscribe())
                        : earlier(redisKey, fingerprint));
    }

    /** Frees the key so that a retry runs the work again. */
    private Mono<Void> release(String redisKey) {
        return redis.delete(redisKey).onErrorResume(e -> Mono.empty()).then();
    }

    private Mono<Answer> remember(String redisKey, String fingerprint, Answer answer) {
        return redis.opsForValue()
                .set(redisKey, json.writeValueAsString(new Entry(fingerprint, answer)), ttl)
                .onErrorResume(e -> {
                    // the work is done and must be answered; a retry after the running hold expires runs it again
                    log.warn("Could not keep the answer of an idempotent request: {}", e.toString());
                    return Mono.just(false);
                })
                .thenReturn(answer);
    }

    private Mono<Answer> earlier(String redisKey, String fingerprint) {
        return redis.opsForValue()
                .get(redisKey)
                .onErrorMap(RedisFailure::is, Idempotency::unavailable)
                .map(stored -> json.readValue(stored, Entry.class))
                .flatMap(entry -> {
                    if (!entry.fingerprint().equals(fingerprint)) {
                        return Mono.error(new ErrorResponseException(
                                HttpStatus.UNPROCESSABLE_CONTENT,
                                ProblemDetail.forStatusAndDetail(
                                        HttpStatus.UNPROCESSABLE_CONTENT,
                                        "This Idempotency-Key was used with a different request."),
                                null));
                    }
                    if (entry.answer() == null) {
                        ErrorResponseException conflict = new ErrorResponseException(
                                HttpStatus.CONFLICT,
                                ProblemDetail.forStatusAndDetail(
                                        HttpStatus.CONFLICT,
                                        "A request with this Idempotency-Key is still being handled."),
                                null);
                        conflict.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
                        return Mono.error(conflict);
                    }
                    return Mono.just(entry.answer().asReplayed());
                })
                // the key expired between the two commands: the caller may simply retry
                .switchIfEmpty(Mono.error(() -> unavailable(null)));
    }

    private String fingerprint(Object body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(body));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ErrorResponseException unavailable(Throwable cause) {
        ErrorResponseException unavailable = new ErrorResponseException(
                HttpStatus.SERVICE_UNAVAILABLE,
                ProblemDetail.forStatusAndDetail(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "Requests with an Idempotency-Key cannot be handled right now; retry shortly."),
                cause);
        unavailable.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return unavailable;
    }

    /**
     * What a request was answered.
     *
     * @param status HTTP status
     * @param location the {@code Location} header, or null
     * @param body the JSON body
     * @param replayed whether this is a repeat of an earlier answer
     * @param keep whether a retry should get this answer again; {@code false} when part of the work failed in a
     *     way a retry may fix, so the key is freed instead
     */
    public record Answer(int status, String location, String body, boolean replayed, boolean keep) {

        Answer asReplayed() {
            return new Answer(status, location, body, true, keep);
        }

        /** The headers of the answer besides its content type. */
        public HttpHeaders headers() {
            HttpHeaders headers = new HttpHeaders();
            if (location != null) {
                headers.set(HttpHeaders.LOCATION, location);
            }
            if (replayed) {
                headers.set(REPLAYED, "true");
            }
            return headers;
        }
    }

    /** @param fingerprint digest of the request; @param answer its answer, or null while it runs */
    record Entry(String fingerprint, Answer answer) {}
}
