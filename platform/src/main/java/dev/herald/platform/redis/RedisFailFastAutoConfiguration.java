package dev.herald.platform.redis;

import io.lettuce.core.ClientOptions;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * For apps that use Redis: while Redis is unreachable, commands fail at once instead of queueing until they
 * time out, so an outage costs a request only the app's fallback (a read from PostgreSQL, a 503, failing open),
 * never a hang.
 */
@AutoConfiguration
@ConditionalOnClass(
        name = {
            "io.lettuce.core.ClientOptions",
            "org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer"
        })
public class RedisFailFastAutoConfiguration {

    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
        // only this option: the builder already holds Boot's timeouts and the like
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
