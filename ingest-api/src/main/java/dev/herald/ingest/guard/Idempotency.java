package dev.herald.ingest.guard;

import dev.herald.ingest.submission.IngestProperties;
import dev.herald.platform.web.Problems;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
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

    private final GuardConnection redis;
    private final JsonMapper json;
    private final Duration ttl;

    Idempotency(GuardConnection redis, JsonMapper json, IngestProperties properties) {
        this.redis = redis;
        this.json = json;
        this.ttl = properties.idempotencyTtl();
    }

    /**
     * A request's claim on its key: {@link RateLimiter#take} makes it in the same round trip as the rate limit.
     *
     * @param redisKey where the entry lives
     * @param fingerprint digest of the request
     * @param running the entry that holds the key while the request runs
     * @param holdMillis how long a running request holds its key
     */
    public record Claim(String redisKey, String fingerprint, String running, long holdMillis) {

        /**
         * The id of the request's notification at {@code item} (0 for a single one) when the client gave none: the
         * same for every retry of the request (the same client, key and body), and another for another body. So a
         * retry that publishes again, because the first answer could not be kept or was lost (Redis full, restarted
         * or evicting; a 503 for a record the broker wrote but did not acknowledge in time), publishes the same notification, and enrich-stream
         * drops it as a duplicate.
         */
        public UUID notificationId(int item) {
            return UUID.nameUUIDFromBytes(
                    (redisKey + '\n' + fingerprint + '\n' + item).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The claim of a request with {@code key} (or {@code null} without one).
     *
     * @param body what the request asks, serialised the same way each time; its digest tells a retry from a
     *     different request under the same key
     * @throws ErrorResponseException 400 when the key is not 1 to 255 visible ASCII characters
     */
    public Claim claim(String client, String key, Object body) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new ErrorResponseException(
                    HttpStatus.BAD_REQUEST,
                    ProblemDetail.forStatusAndDetail(
                            HttpStatus.BAD_REQUEST, "Idempotency-Key must be 1 to 255 visible ASCII characters."),
                    null);
        }
        String fingerprint = fingerprint(body);
        return new Claim(
                "herald:{" + client + "}:idempotency:" + key,
                fingerprint,
                json.writeValueAsString(new Entry(fingerprint, null)),
                RUNNING.toMillis());
    }

    /**
     * Runs {@code work} unless {@code earlier} says the key was used before: then answers as the first request
     * was answered (same body), 422 (another body) or 409 (the first still runs). The answer of work that ran
     * under a claim is kept for {@code herald.ingest.idempotency-ttl}, also when the client hung up before it; work
     * that failed frees the key.
     *
     * @param claim the request's claim, or {@code null} without a key
     * @param earlier the entry the key already held, or {@code null} when the claim was made
     */
    public Mono<Answer> run(Claim claim, String earlier, Supplier<Mono<Answer>> work) {
        if (claim == null) {
            return work.get();
        }
        if (earlier != null) {
            return answerOf(json.readValue(earlier, Entry.class), claim.fingerprint());
        }
        String redisKey = claim.redisKey();
        // the work runs to its end even when the client hangs up (it is bounded by the publish timeout): its answer
        // is kept, so a retry with the key gets it rather than publishing again
        Sinks.One<Answer> outcome = Sinks.one();
        work.get()
                .doOnNext(answer -> {
                    if (answer.keep()) {
                        remember(redisKey, claim.fingerprint(), answer);
                    } else {
                        release(redisKey).subscribe();
                    }
                })
                .onErrorResume(e -> release(redisKey).then(Mono.error(e)))
                .subscribe(outcome::tryEmitValue, outcome::tryEmitError, outcome::tryEmitEmpty);
        return outcome.asMono();
    }

    /** Frees the key so that a retry runs the work again. */
    private Mono<Void> release(String redisKey) {
        return redis.delete(redisKey).onErrorResume(e -> Mono.empty());
    }

    /**
     * Keeps the answer without making the client wait for Redis: a retry that arrives before it lands gets
     * 409 and retries; one sent after this answer on the same instance queues behind it on the connection.
     */
    private void remember(String redisKey, String fingerprint, Answer answer) {
        redis.set(redisKey, json.writeValueAsString(new Entry(fingerprint, answer)), ttl)
                .subscribe(
                        null,
                        e ->
                                // the work is done and answered; a retry after the running hold expires runs it again
                                log.warn("Could not keep the answer of an idempotent request: {}", e.toString()));
    }

    private Mono<Answer> answerOf(Entry entry, String fingerprint) {
        if (!entry.fingerprint().equals(fingerprint)) {
            return Mono.error(new ErrorResponseException(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    ProblemDetail.forStatusAndDetail(
                            HttpStatus.UNPROCESSABLE_CONTENT,
                            "This Idempotency-Key was used with a different request: send a new key with a new request."),
                    null));
        }
        if (entry.answer() == null) {
            return Mono.error(Problems.retryLater(
                    HttpStatus.CONFLICT, "A request with this Idempotency-Key is still being handled.", null));
        }
        return Mono.just(entry.answer().asReplayed());
    }

    private String fingerprint(Object body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(body));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ErrorResponseException unavailable(Throwable cause) {
        return Problems.retryLater(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Requests with an Idempotency-Key cannot be handled right now; retry shortly.",
                cause);
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
