package dev.herald.ingest.guard;

import dev.herald.ingest.submission.IngestProperties;
import dev.herald.platform.failure.Causes;
import dev.herald.platform.failure.Throttle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * A token bucket per client in Redis, so every ingest-api instance shares it. The same script also claims the
 * request's {@code Idempotency-Key} when it has one, so a request costs one Redis round trip before its work
 * (and one after, to keep the answer). When Redis fails, requests without a key are let through (failing open:
 * losing rate limiting beats losing notifications), counted in {@code herald.ingest.rate-limit.unavailable} and
 * logged at most every ten seconds; requests with a key get 503.
 */
@Component
public class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    /**
     * When limiting ({@code ARGV[1]} = 1), refills the bucket {@code KEYS[1]} for the time since its last use and
     * takes {@code cost} tokens if it has them. Then, if the request may go and has a key {@code KEYS[2]}, claims
     * it ({@code SET NX} with the running entry and hold), or returns what the key already holds. Returns
     * {allowed, remaining (-1 when not limiting), wait ms, the key's earlier entry or ''}. Both keys carry the
     * client in a hash tag, so they live in one cluster slot.
     */
    private static final RedisScript<List> TAKE = RedisScript.of("""
            local allowed, remaining, wait = 1, -1, 0
            if ARGV[1] == '1' then
              local capacity = tonumber(ARGV[2])
              local rate = tonumber(ARGV[3])
              local cost = tonumber(ARGV[4])
              local time = redis.call('TIME')
              local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
              local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
              local tokens = tonumber(state[1]) or capacity
              local at = tonumber(state[2]) or now
              tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
              if tokens >= cost then
                tokens = tokens - cost
              else
                allowed = 0
                wait = math.ceil((cost - tokens) * 1000 / rate)
              end
              remaining = math.floor(tokens)
              redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
              redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
            end
            local earlier = ''
            if allowed == 1 and KEYS[2] then
              if not redis.call('SET', KEYS[2], ARGV[5], 'NX', 'PX', ARGV[6]) then
                earlier = redis.call('GET', KEYS[2]) or ''
              end
            end
            return {allowed, remaining, wait, earlier}
            """, List.class);

    private final GuardConnection redis;
    private final IngestProperties.RateLimit limits;
    private final Counter unavailable;
    private final Throttle warnings = new Throttle(Duration.ofSeconds(10));

    RateLimiter(GuardConnection redis, IngestProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.limits = properties.rateLimit();
        this.unavailable = Counter.builder("herald.ingest.rate-limit.unavailable")
                .description("Requests let through without rate limiting because Redis failed")
                .register(meters);
    }

    /**
     * What the request may do: the rate-limit headers to add to its answer, and, when it has an
     * idempotency key that was already used, the entry kept under it.
     *
     * @param earlier the key's earlier entry, or {@code null} when the request has no key or has just claimed it
     */
    public record Admission(HttpHeaders limits, String earlier) {}

    /**
     * Takes {@code cost} tokens from {@code client}'s bucket and claims {@code claim}'s key, in one round trip:
     * emits the admission, or fails with 429 (and {@code Retry-After}) when the bucket is short, or with 503 when
     * Redis fails and the request has a key.
     *
     * @param claim the request's idempotency claim, or {@code null}
     */
    public Mono<Admission> take(String client, int cost, Idempotency.Claim claim) {
        if (!limits.enabled() && claim == null) {
            return Mono.just(new Admission(HttpHeaders.EMPTY, null));
        }
        IngestProperties.Bucket bucket = limits.bucketOf(client);
        List<String> keys = claim == null ? List.of(bucketKey(client)) : List.of(bucketKey(client), claim.redisKey());
        List<String> args = List.of(
                limits.enabled() ? "1" : "0",
                Integer.toString(bucket.capacity()),
                Integer.toString(bucket.perSecond()),
                Integer.toString(cost),
                claim == null ? "" : claim.running(),
                claim == null ? "0" : Long.toString(claim.holdMillis()));
        return redis.eval(TAKE, keys, args)
                .flatMap(result -> decide(bucket, cost, result))
                // a 429 is not a Redis failure: only those fail open, and only without a key
                .onErrorResume(
                        RedisFailure::is, e -> claim == null ? failOpen(e) : Mono.error(Idempotency.unavailable(e)));
    }

    static String bucketKey(String client) {
        return "herald:{" + client + "}:rate-limit";
    }

    private Mono<Admission> decide(IngestProperties.Bucket bucket, int cost, List<?> result) {
        boolean allowed = ((Number) result.get(0)).longValue() == 1;
        long remaining = ((Number) result.get(1)).longValue();
        long waitMs = ((Number) result.get(2)).longValue();
        String earlier = GuardConnection.string(result.get(3));
        if (remaining < 0) {
            return Mono.just(new Admission(HttpHeaders.EMPTY, earlier));
        }
        long resetSeconds = (long) Math.ceil((bucket.capacity() - remaining) / (double) bucket.perSecond());
        HttpHeaders headers = new HttpHeaders();
        headers.set(
                "RateLimit-Policy", bucket.capacity() + ";w=" + Math.max(1, bucket.capacity() / bucket.perSecond()));
        headers.set("RateLimit", "limit=" + bucket.capacity() + ", remaining=" + remaining + ", reset=" + resetSeconds);
        if (allowed) {
            return Mono.just(new Admission(headers, earlier));
        }
        long retryAfter = Math.max(1, (long) Math.ceil(waitMs / 1000.0));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.TOO_MANY_REQUESTS,
                cost > bucket.capacity()
                        ? "A batch of " + cost + " is more than this client may send at once (" + bucket.capacity()
                                + "); send smaller batches."
                        : "This client is sending faster than its rate limit of " + bucket.perSecond()
                                + " notifications a second; retry after " + retryAfter + " s.");
        ErrorResponseException tooMany = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS, problem, null);
        tooMany.getHeaders().addAll(headers);
        tooMany.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        return Mono.error(tooMany);
    }

    private Mono<Admission> failOpen(Throwable e) {
        unavailable.increment();
        if (warnings.tryPass()) {
            log.warn("Rate limiting is off while Redis fails; letting requests through: {}", Causes.describe(e));
        }
        return Mono.just(new Admission(HttpHeaders.EMPTY, null));
    }
}
