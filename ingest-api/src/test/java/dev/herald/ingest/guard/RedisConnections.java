package dev.herald.ingest.guard;

import dev.herald.testkit.RedisProcess;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Connection factories for the guards' tests, outside a Spring context. */
final class RedisConnections {

    private RedisConnections() {}

    /** A started factory for {@code redis}; the caller destroys it. */
    static LettuceConnectionFactory started(RedisProcess redis) {
        LettuceConnectionFactory factory =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
