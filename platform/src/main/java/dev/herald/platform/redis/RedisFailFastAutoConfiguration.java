package dev.herald.platform.redis;

import dev.herald.platform.net.SilentPeer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * For apps that use Redis: while Redis is unreachable, commands fail at once instead of queueing until they
 * time out, so an outage costs a request only the app's fallback (a read from PostgreSQL, a 503, failing open),
 * never a hang. A Redis that goes silent (its host crashed or moved, packets dropped) counts as unreachable once
 * the network timeout ({@link HeraldRedisProperties}) is up: the connection is dropped and the client reconnects.
 */
@AutoConfiguration
@ConditionalOnClass(
        name = {
            "io.lettuce.core.ClientOptions",
            "org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer"
        })
@EnableConfigurationProperties(HeraldRedisProperties.class)
public class RedisFailFastAutoConfiguration {

    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected(HeraldRedisProperties properties) {
        SilentPeer peer = new SilentPeer(properties.networkTimeout());
        // only these options: the builder already holds Boot's timeouts, among them the connect timeout
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(options.build()
                        .getSocketOptions()
                        .mutate()
                        .tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder()
                                .enable()
                                .tcpUserTimeout(Duration.ofMillis(peer.userTimeoutMillis()))
                                .build())
                        .keepAlive(SocketOptions.KeepAliveOptions.builder()
                                .enable()
                                .idle(Duration.ofSeconds(peer.keepAliveIdleSeconds()))
                                .interval(Duration.ofSeconds(peer.keepAliveIntervalSeconds()))
                                .count(SilentPeer.KEEP_ALIVE_PROBES)
                                .build())
                        .build());
    }
}
