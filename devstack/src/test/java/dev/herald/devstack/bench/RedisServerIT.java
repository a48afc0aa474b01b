package dev.herald.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void chargesTheWorkRedisDoesToItsCpuTime() throws IOException {
        // the machine's Redis, which the build's integration tests need as well
        Optional<RedisServer> found = RedisServer.find();
        assumeTrue(found.isPresent(), "a redis-server on this machine");
        RedisServer redis = found.get();

        Duration before = redis.cpuTime();
        pingRedis(1_000_000);
        Duration after = redis.cpuTime();

        // a million commands take Redis a tenth of a second or more; /proc counts in 10 ms ticks
        assertThat(after.minus(before)).isGreaterThanOrEqualTo(Duration.ofMillis(10));
    }

    /** Sends {@code count} pipelined PINGs to localhost:6379 and reads every reply. */
    private static void pingRedis(int count) throws IOException {
        byte[] ping = "PING\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        byte[] reply = new byte["+PONG\r\n".length() * 1000];
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int sent = 0; sent < count; sent += 1000) {
                out.write(ping);
                out.flush();
                assertThat(in.readNBytes(reply, 0, reply.length)).isEqualTo(reply.length);
            }
        }
    }
}
