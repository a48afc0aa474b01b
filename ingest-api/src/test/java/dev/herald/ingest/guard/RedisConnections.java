package dev.herald.ingest.guard;

import dev.herald.testkit.RedisProcess;
import io.lettuce.core.ClientOptions;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Connection factories for the guards' tests, outside a Spring context. */
final class RedisConnections {

    private RedisConnections() {}

    /** A started factory for {@code redis}; the caller destroys it. */
    static LettuceConnectionFactory started(RedisProcess redis) {
        return started(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
    }

    /** A started factory for {@code redis} that signs in as {@code user}; the caller destroys it. */
    static LettuceConnectionFactory started(RedisProcess redis, String user, String password) {
        RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration("127.0.0.1", redis.port());
        configuration.setUsername(user);
        configuration.setPassword(password);
        return started(configuration);
    }

    /** A started factory for {@code redis} whose client has {@code options}; the caller destroys it. */
    static LettuceConnectionFactory started(RedisProcess redis, ClientOptions options) {
        return started(
                new RedisStandaloneConfiguration("127.0.0.1", redis.port()),
                LettuceClientConfiguration.builder().clientOptions(options).build());
    }

    private static LettuceConnectionFactory started(RedisStandaloneConfiguration configuration) {
        return started(configuration, LettuceClientConfiguration.defaultConfiguration());
    }

    private static LettuceConnectionFactory started(
            RedisStandaloneConfiguration configuration, LettuceClientConfiguration client) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration, client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
