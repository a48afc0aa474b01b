package dev.herald.user.cache;

import dev.herald.platform.failure.Causes;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.HeraldJson;
import io.lettuce.core.RedisCommandExecutionException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Cache-aside in Redis for profile reads. Each entry is {@code <revision>:<profile JSON>} and is only ever
 * replaced by a higher revision, so a slow read that fetched a profile before a write committed cannot put the
 * old profile back after the write refreshed the entry. A deletion leaves {@code <revision>:} behind, which
 * reads treat as a miss.
 *
 * <p>Redis is an optimisation only: when it fails, reads go to PostgreSQL, the failure is logged and counted
 * ({@code herald.users.cache.errors}, tagged with the operation), and no request fails. A write whose entry
 * Redis refuses to replace (when it is full) deletes it instead. A write whose entry Redis could not be asked to
 * replace (unreachable, silent) is remembered: this instance reads that user from PostgreSQL, and asks Redis
 * every {@code repair-interval} to drop the entry if it is older than the write, until Redis answers, so a
 * profile cached before the outage is not served once Redis is back ({@code herald.users.cache.unrefreshed}
 * counts them). The repair never writes a profile: one remembered during an outage may be older than what
 * another instance wrote since, and the next read caches what PostgreSQL holds. Past {@code max-unrefreshed}
 * such writes, this instance reads every user from PostgreSQL until it has cleared every cached profile
 * ({@code herald.users.cache.clearing}).
 */
@Component
public class UserCache implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(UserCache.class);

    /** Sets KEYS[1] to ARGV[1]:ARGV[2] for ARGV[3] ms unless it holds a revision at least as high. */
    private static final RedisScript<Long> SET_IF_NEWER = RedisScript.of("""
            local current = redis.call('GET', KEYS[1])
            if current then
              local revision = tonumber(string.match(current, '^(%d+):'))
              if revision and revision >= tonumber(ARGV[1]) then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2], 'PX', ARGV[3])
            return 1
            """, Long.class);

    /** Deletes KEYS[1] if it holds a revision lower than ARGV[1] (or none); returns whether it did. */
    private static final RedisScript<Long> DROP_IF_OLDER = RedisScript.of("""
            local current = redis.call('GET', KEYS[1])
            if not current then return 0 end
            local revision = tonumber(string.match(current, '^(%d+):'))
            if revision and revision >= tonumber(ARGV[1]) then return 0 end
            redis.call('DEL', KEYS[1])
            return 1
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final UserCacheProperties properties;
    private final MeterRegistry meters;

    /** Writes whose entry Redis was not asked to replace: the revision of each user's last one. */
    private final Map<String, Long> unrefreshed = new ConcurrentHashMap<>();
    /** Requests to clear every entry (too many writes to remember), and how many of them the last clearing met. */
    private final AtomicLong clearRequests = new AtomicLong();

    private volatile long clearedUpTo;
    /** The repair under way, if any: at most one at a time. */
    private final AtomicReference<Disposable> repair = new AtomicReference<>();
    /** Whether the last repair pass failed, so that a run of failures is logged once. */
    private volatile boolean repairFailing;

    private volatile boolean stopped;

    UserCache(ReactiveStringRedisTemplate redis, UserCacheProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.properties = properties;
        this.meters = meters;
        Gauge.builder("herald.users.cache.unrefreshed", unrefreshed, Map::size)
                .description("Writes whose cached profile Redis has not been asked to drop yet; their users are"
                        + " read from PostgreSQL meanwhile")
                .register(meters);
        Gauge.builder("herald.users.cache.clearing", this, cache -> cache.clearing() ? 1 : 0)
                .description("1 while every user is read from PostgreSQL until every cached profile is cleared"
                        + " (more writes than herald.users.cache.max-unrefreshed did not update the cache)")
                .register(meters);
        // every operation's count from the start, at 0, so that a rate or an alert on it has a series to read
        for (String operation : List.of("get", "put", "store", "forget", "drop", "repair")) {
            counter(operation);
        }
    }

    /**
     * The cached profile, or empty on a miss, after a deletion, when Redis fails, or while a write of the user's
     * has not reached the cache.
     */
    public Mono<UserProfile> get(String id) {
        if (clearing() || unrefreshed.containsKey(id)) {
            return Mono.empty();
        }
        return redis.opsForValue()
                .get(key(id))
                .map(entry -> entry.substring(entry.indexOf(':') + 1))
                .filter(json -> !json.isEmpty())
                // written by this class from a stored profile: parsed, not validated again on every read
                .map(json -> HeraldJson.mapper().readValue(json, UserProfile.class))
                .onErrorResume(e -> failed("get", e));
    }

    /** Caches a profile read from PostgreSQL, unless a newer one is cached; emits it either way. */
    public Mono<UserProfile> put(UserProfile profile) {
        return set(profile.id(), profile.revision(), json(profile))
                .onErrorResume(e -> failed("put", e))
                .thenReturn(profile);
    }

    /** Replaces the cached profiles of users that were just written. */
    public Mono<Void> store(Collection<UserProfile> profiles) {
        return Flux.fromIterable(profiles)
                .concatMap(profile -> afterWrite(profile.id(), profile.revision(), json(profile), "store"))
                .then();
    }

    /** Drops the cached profile of a user deleted at {@code revision}. */
    public Mono<Void> forget(String id, long revision) {
        return afterWrite(id, revision, "", "forget");
    }

    private Mono<Void> set(String id, long revision, String json) {
        return redis.execute(
                        SET_IF_NEWER,
                        List.of(key(id)),
                        List.of(
                                Long.toString(revision),
                                json,
                                Long.toString(properties.ttl().toMillis())))
                .then();
    }

    /**
     * The cache's part of a database write: when Redis refuses to replace the entry, it is deleted, so reads go to
     * PostgreSQL rather than get the profile from before the write. A full Redis ({@code maxmemory} under {@code
     * noeviction}) refuses the replacement but takes the deletion. An unreachable or silent one would take neither,
     * so the write does not wait for a second failure: it is remembered, and the entry dropped once Redis answers
     * (as is one whose deletion failed).
     */
    private Mono<Void> afterWrite(String id, long revision, String json, String operation) {
        return set(id, revision, json)
                .onErrorResume(e -> failed(operation, e)
                        .then(
                                Causes.any(e, RedisCommandExecutionException.class)
                                        ? redis.delete(key(id))
                                                .then()
                                                .onErrorResume(
                                                        d -> failed("drop", d).then(Mono.error(d)))
                                        : Mono.error(e)))
                .onErrorResume(e -> {
                    remember(id, revision);
                    return Mono.empty();
                });
    }

    private void remember(String id, long revision) {
        if (unrefreshed.size() >= properties.maxUnrefreshed() && !unrefreshed.containsKey(id)) {
            clearRequests.incrementAndGet();
        } else {
            unrefreshed.merge(id, revision, Math::max);
        }
        startRepair();
    }

    private boolean clearing() {
        return clearRequests.get() > clearedUpTo;
    }

    private boolean repairDue() {
        return clearing() || !unrefreshed.isEmpty();
    }

    /** Asks Redis every {@code repair-interval} to drop the remembered entries until none is left; one at a time. */
    private void startRepair() {
        Disposable placeholder = Disposables.single();
        if (stopped || !repair.compareAndSet(null, placeholder)) {
            return;
        }
        Disposable running = Flux.interval(properties.repairInterval())
                .onBackpressureDrop()
                .concatMap(tick -> repairOnce(), 1)
                .takeUntil(done -> done)
                .doFinally(signal -> {
                    repair.set(null);
                    // a write remembered after the last pass looked
                    if (signal == SignalType.ON_COMPLETE && repairDue()) {
                        startRepair();
                    }
                })
                .subscribe(
                        done -> {}, e -> log.error("The cache repair stopped; the next failed write restarts it", e));
        if (!repair.compareAndSet(placeholder, running)) {
            running.dispose();
        }
    }

    /** One pass over what is due; emits whether nothing is left. */
    private Mono<Boolean> repairOnce() {
        return clearIfAsked()
                .then(Mono.defer(() -> {
                    List<Map.Entry<String, Long>> due = List.copyOf(unrefreshed.entrySet());
                    return Flux.fromIterable(due)
                            .concatMap(write -> redis.execute(
                                            DROP_IF_OLDER,
                                            List.of(key(write.getKey())),
                                            List.of(Long.toString(write.getValue())))
                                    .next()
                                    .doOnSuccess(dropped -> unrefreshed.remove(write.getKey(), write.getValue())))
                            .filter(dropped -> dropped == 1)
                            .count()
                            .doOnNext(dropped -> {
                                if (!due.isEmpty()) {
                                    log.info(
                                            "Redis answers again: dropped {} cached profiles older than the {} writes"
                                                    + " it could not be told of",
                                            dropped,
                                            due.size());
                                }
                            });
                }))
                .then(Mono.fromSupplier(() -> {
                    if (repairFailing) {
                        repairFailing = false;
                        log.info("The cache repair succeeded after failing");
                    }
                    return !repairDue();
                }))
                .onErrorResume(e -> {
                    counter("repair").increment();
                    if (!repairFailing) {
                        repairFailing = true;
                        log.warn(
                                "The cache repair failed; {} users are read from PostgreSQL{} until it succeeds,"
                                        + " retried every {}: {}",
                                unrefreshed.size(),
                                clearing() ? " (every user, until every cached profile is cleared)" : "",
                                properties.repairInterval(),
                                e.toString());
                    }
                    return Mono.just(false);
                });
    }

    /**
     * Clears every entry when asked to since the last clearing, and then forgets the writes remembered before it
     * began (their entries are gone); a write remembered meanwhile is kept, to be dropped like any other.
     */
    private Mono<Void> clearIfAsked() {
        return Mono.defer(() -> {
            long asked = clearRequests.get();
            if (asked <= clearedUpTo) {
                return Mono.empty();
            }
            Map<String, Long> remembered = Map.copyOf(unrefreshed);
            return clearEveryEntry().doOnSuccess(done -> {
                clearedUpTo = asked;
                remembered.forEach(unrefreshed::remove);
            });
        });
    }

    /** Deletes every cached profile (a {@code SCAN} of the prefix, unlinked in batches). */
    private Mono<Void> clearEveryEntry() {
        String pattern = properties.keyPrefix().replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
        return redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())
                .buffer(1000)
                .concatMap(keys -> redis.unlink(keys.toArray(String[]::new)))
                .reduce(0L, Long::sum)
                .doOnNext(count -> log.info(
                        "Cleared every cached profile ({}) after more writes than herald.users.cache.max-unrefreshed"
                                + " could not update the cache",
                        count))
                .then();
    }

    @Override
    public void destroy() {
        stopped = true;
        Disposable running = repair.getAndSet(null);
        if (running != null) {
            running.dispose();
        }
        if (repairDue()) {
            log.warn(
                    "Stopping before Redis was told of {} writes{}: it may serve the profiles from before them to"
                            + " other instances until they expire (herald.users.cache.ttl, {})",
                    unrefreshed.size(),
                    clearing() ? " and of more it was to clear every cached profile for" : "",
                    properties.ttl());
        }
    }

    private static String json(UserProfile profile) {
        return HeraldJson.mapper().writeValueAsString(profile);
    }

    private Counter counter(String operation) {
        return Counter.builder("herald.users.cache.errors")
                .description("Redis cache operations that failed and fell back to PostgreSQL")
                .tag("operation", operation)
                .register(meters);
    }

    private String key(String id) {
        return properties.keyPrefix() + id;
    }

    private <T> Mono<T> failed(String operation, Throwable e) {
        counter(operation).increment();
        log.warn("Redis cache {} failed; serving from PostgreSQL: {}", operation, e.toString());
        return Mono.empty();
    }
}
