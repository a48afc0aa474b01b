package dev.herald.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testkit.TestInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Keep-alive connections stay usable after answers sent without reading the request's body (401, 403), over raw
 * sockets so that the bytes and their timing are the test's. Every other request writes its headers, then its body
 * a moment later, as clients that write them apart do: without the platform's body drain the answer went out
 * before the body arrived, and one request in a few dozen of this mix then waited until the client's timeout.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeepAliveIT {

    private static final String BODY =
            "{\"userId\":\"u-1\",\"templateId\":\"welcome\",\"data\":{\"note\":\"" + "x".repeat(2000) + "\"}}";

    /** Without the drain, this mix hung within its first 30 requests in each of four runs. */
    private static final int REQUESTS = 300;

    /**
     * A hung connection never answers; a slow machine can take seconds for an answer that needs the broker, so
     * waiting longer tells the two apart without hiding a hang.
     */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(10);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
    }

    @LocalServerPort
    int port;

    private final String readOnly = TestInfrastructure.token("notifications:read");
    private final String write = TestInfrastructure.token("notifications:write");

    @Test
    void theServerWasStartedWithReadsResumedAfterAQueuedKeepAliveRequest() throws ReflectiveOperationException {
        // read by Reactor Netty once, when its HTTP server loaded: the platform must have set it before then
        Field setting = Class.forName("reactor.netty.http.server.HttpTrafficHandler")
                .getDeclaredField("LAST_FLUSH_WHEN_NO_READ");
        setting.setAccessible(true);
        assertThat(setting.getBoolean(null)).isTrue();
    }

    @Test
    void aConnectionAnsweredBeforeItsBodyWasReadServesTheNextRequests() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) ANSWER_WAIT.toMillis());
            socket.setTcpNoDelay(true);
            for (int i = 0; i < REQUESTS; i++) {
                // no token, a token without the write scope, a good one
                String token = i % 3 == 0 ? null : i % 3 == 1 ? readOnly : write;
                Response response;
                try {
                    response = exchange(socket, post(token, BODY.length()), BODY, i % 2 == 0);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("request " + i + " got no answer in " + ANSWER_WAIT, e);
                }
                assertThat(response.status())
                        .as("request %d", i)
                        .isEqualTo(List.of("401", "403", "202").get(i % 3));
                assertThat(response.headers()).doesNotContain("connection: close");
            }
        }
    }

    /**
     * HTTP/1.1 pipelining: a request that waits for the broker, and behind it, in the same write, one answered from
     * its headers alone. Reactor Netty queues the second until the first is answered, then answers it at once, and
     * in 1.3.6 no longer read the connection: every such connection hung at its next request.
     */
    @Test
    void aPipelinedRequestAnsweredAtOnceBehindASlowOneLeavesTheConnectionServing() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) ANSWER_WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 5; i++) {
                out.write((post(write, BODY.length()) + BODY + post(null, 0)).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                try {
                    assertThat(read(in).status())
                            .as("round %d, the first answer", i)
                            .isEqualTo("202");
                    assertThat(read(in).status())
                            .as("round %d, the second answer", i)
                            .isEqualTo("401");
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("round " + i + " got no answer in " + ANSWER_WAIT, e);
                }
            }
        }
    }

    /**
     * A request pipelined with {@code Connection: close} behind one that waits for the broker: Reactor Netty took the
     * close for the first request's, answered it with {@code Connection: close} and dropped the second unanswered.
     */
    @Test
    void aPipelinedRequestAskingToCloseIsAnsweredBeforeTheConnectionCloses() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) ANSWER_WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String closing = post(null, 0).replace("Host: localhost\r\n", "Host: localhost\r\nConnection: close\r\n");
            out.write((post(write, BODY.length()) + BODY + closing + post(write, BODY.length()) + BODY)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Response first = read(in);
            assertThat(first.status()).isEqualTo("202");
            assertThat(first.headers()).doesNotContain("connection: close");
            Response second = read(in);
            assertThat(second.status()).isEqualTo("401");
            assertThat(second.headers()).contains("connection: close");
            // what came after the close is not read, let alone answered
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aBodyTooLargeToReadIsNotWaitedForAndTheConnectionCloses() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) ANSWER_WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            // the headers promise 3 MiB that never come: the answer does not wait for them
            out.write(post(null, 3 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Response response = read(socket.getInputStream());
            assertThat(response.status()).isEqualTo("401");
            assertThat(response.headers()).contains("connection: close");
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    /** The platform's drain leaves these alone: Reactor Netty closes the connection itself. */
    @Test
    void aBodyHeldBackFor100ContinueIsNotAskedForAndTheConnectionCloses() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) ANSWER_WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            String head = post(null, BODY.length());
            out.write((head.substring(0, head.length() - 2) + "Expect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Response response = read(socket.getInputStream());
            assertThat(response.status()).isEqualTo("401");
            assertThat(response.headers()).contains("connection: close");
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    private static String post(String token, int length) {
        return "POST /api/v1/notifications HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Length: " + length + "\r\n\r\n";
    }

    private static Response exchange(Socket socket, String head, String body, boolean apart) throws IOException {
        OutputStream out = socket.getOutputStream();
        if (apart) {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            pause();
            out.write(body.getBytes(StandardCharsets.US_ASCII));
        } else {
            out.write((head + body).getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        return read(socket.getInputStream());
    }

    /** The moment a client takes between writing the headers and the body: the answer goes out meanwhile. */
    private static void pause() throws IOException {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** @param headers the status line and headers, lower case */
    private record Response(String status, String headers) {}

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes of an answer");
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        int at = headers.indexOf("content-length:");
        int length = at < 0
                ? 0
                : Integer.parseInt(
                        headers.substring(at + 15, headers.indexOf('\r', at)).trim());
        in.readNBytes(length);
        return new Response(headers.substring(9, 12), headers);
    }
}
