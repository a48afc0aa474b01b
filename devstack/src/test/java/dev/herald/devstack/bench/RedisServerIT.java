package dev.herald.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Against the machine's Redis on localhost:6379, which the build's other integration tests need as well. */
class RedisServerIT {

    @Test
    void findsTheMachinesRedisAndChargesItsWorkToIt() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            RedisServer redis = RedisServer.find().orElseThrow(() -> new AssertionError("no redis-server found"));

            Duration before = redis.cpuTime();
            ping(socket, 1_000_000);
            Duration after = redis.cpuTime();

            // a million commands take Redis a tenth of a second or more; /proc counts in 10 ms ticks
            assertThat(after.minus(before)).isGreaterThanOrEqualTo(Duration.ofMillis(10));
        }
    }

    /** Sends {@code count} PINGs, a thousand at a time, and reads every reply. */
    private static void ping(Socket socket, int count) throws IOException {
        byte[] pings = "PING\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        byte[] replies = new byte["+PONG\r\n".length() * 1000];
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        for (int sent = 0; sent < count; sent += 1000) {
            out.write(pings);
            out.flush();
            assertThat(in.readNBytes(replies, 0, replies.length)).isEqualTo(replies.length);
        }
        assertThat(new String(replies, StandardCharsets.US_ASCII)).startsWith("+PONG\r\n+PONG\r\n");
    }
}
