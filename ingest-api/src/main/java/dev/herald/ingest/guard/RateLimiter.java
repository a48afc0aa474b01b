package dev.herald.ingest.guard;

import dev.herald.ingest.submission.IngestProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * A token bucket per client in Redis, so every ingest-api instance shares it. When Redis fails, requests are
 * let through (failing open: losing rate limiting beats losing notifications), counted in {@code
 * herald.ingest.rate-limit.unavailable} and logged at most every ten seconds.
 */
@Component
public class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    /** Refills the bucket for the time since its last use, then takes {@code cost} tokens if it has them. */
    private static final RedisScript<List> TAKE = RedisScript.of("""
            local capacity = tonumber(ARGV[1])
            local rate = tonumber(ARGV[2])
            local cost = tonumber(ARGV[3])
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(state[1]) or capacity
            local at = tonumber(state[2]) or now
            tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
            local allowed = 0
            local wait = 0
            if tokens >= cost then
              tokens = tokens - cost
              allowed = 1
            else
              wait = math.ceil((cost - tokens) * 1000 / rate)
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
            return {allowed, math.floor(tokens), wait}
            """, List.class);

    private final ReactiveStringRedisTemplate redis;
    private final IngestProperties.RateLimit limits;
    private final Counter unavailable;
    private final AtomicLong lastWarning =
            new AtomicLong(System.nanoTime() - Duration.ofSeconds(10).toNanos());

    RateLimiter(ReactiveStringRedisTemplate redis, IngestProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.limits = properties.rateLimit();
        this.unavailable = Counter.builder("herald.ingest.rate-limit.unavailable")
                .description("Requests let through without rate limiting because Redis failed")
                .register(meters);
    }

    /**
     * Takes {@code cost} tokens from {@code client}'s bucket: emits the headers to add to the answer, or fails
     * with 429 (and {@code Retry-After}) when the bucket is short.
     */
    public Mono<HttpHeaders> take(String client, int cost) {
        if (!limits.enabled()) {
            return Mono.just(HttpHeaders.EMPTY);
        }
        IngestProperties.Bucket bucket = limits.bucketOf(client);
        return redis.execute(
                        TAKE,
                        List.of("herald:rate-limit:" + client),
                        List.of(
                                Integer.toString(bucket.capacity()),
                                Integer.toString(bucket.perSecond()),
                                Integer.toString(cost)))
                .next()
                .flatMap(result -> decide(bucket, cost, result))
                // a 429 is not a Redis failure: only those fail open
                .onErrorResume(RedisFailure::is, this::failOpen);
    }

    private Mono<HttpHeaders> decide(IngestProperties.Bucket bucket, int cost, List<?> result) {
        boolean allowed = ((Number) result.get(0)).longValue() == 1;
        long remaining = ((Number) result.get(1)).longValue();
        long waitMs = ((Number) result.get(2)).longValue();
        long resetSeconds = (long) Math.ceil((bucket.capacity() - remaining) / (double) bucket.perSecond());
        HttpHeaders headers = new HttpHeaders();
        headers.set(
                "RateLimit-Policy", bucket.capacity() + ";w=" + Math.max(1, bucket.capacity() / bucket.perSecond()));
        headers.set("RateLimit", "limit=" + bucket.capacity() + ", remaining=" + remaining + ", reset=" + resetSeconds);
        if (allowed) {
            return Mono.just(headers);
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

    private Mono<HttpHeaders> failOpen(Throwable e) {
        unavailable.increment();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last > Duration.ofSeconds(10).toNanos() && lastWarning.compareAndSet(last, now)) {
            log.warn("Rate limiting is off while Redis fails; letting requests through: {}", e.toString());
        }
        return Mono.just(HttpHeaders.EMPTY);
    }
}
