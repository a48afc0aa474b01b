package dev.herald.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class RedisFailFastAutoConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RedisFailFastAutoConfiguration.class));

    @Test
    void commandsFailWhileDisconnectedAndASilentServersConnectionIsDroppedKeepingBootsConnectTimeout() {
        context.withPropertyValues("herald.redis.network-timeout=6s").run(app -> {
            // as Spring Boot hands the builder over: spring.data.redis.connect-timeout already in it
            ClientOptions.Builder builder = ClientOptions.builder()
                    .socketOptions(SocketOptions.builder()
                            .connectTimeout(Duration.ofMillis(500))
                            .build());
            app.getBean(LettuceClientOptionsBuilderCustomizer.class).customize(builder);
            ClientOptions options = builder.build();

            assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
            SocketOptions socket = options.getSocketOptions();
            assertThat(socket.getConnectTimeout()).isEqualTo(Duration.ofMillis(500));
            assertThat(socket.isEnableTcpUserTimeout()).isTrue();
            assertThat(socket.getTcpUserTimeout().getTcpUserTimeout()).isEqualTo(Duration.ofSeconds(6));
            assertThat(socket.isKeepAlive()).isTrue();
            assertThat(socket.getKeepAlive().getIdle()).isEqualTo(Duration.ofSeconds(6));
            assertThat(socket.getKeepAlive().getInterval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(socket.getKeepAlive().getCount()).isEqualTo(3);
        });
    }
}
