package dev.herald.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.platform.net.SilentPeer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpResources;

class NetworkTimeoutLoopResourcesTest {

    @Test
    void aConnectionGivesUpOnDataUnacknowledgedForTheTimeoutAndProbesWhenIdle() throws IOException {
        assumeTrue(Epoll.isAvailable(), "the socket options need Linux's native transport");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // as the PostgreSQL driver connects: its own TCP client on the given loop resources, keep-alive on
            Connection connection = TcpClient.create(ConnectionProvider.newConnection())
                    .runOn(new NetworkTimeoutLoopResources(TcpResources::get, new SilentPeer(Duration.ofSeconds(12))))
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .remoteAddress(server::getLocalSocketAddress)
                    .connectNow(Duration.ofSeconds(5));
            try {
                // read back from the socket itself (getsockopt)
                EpollSocketChannelConfig socket =
                        (EpollSocketChannelConfig) connection.channel().config();
                assertThat(socket.getTcpUserTimeout()).isEqualTo(12_000);
                assertThat(socket.isKeepAlive()).isTrue();
                assertThat(socket.getTcpKeepIdle()).isEqualTo(12);
                assertThat(socket.getTcpKeepIntvl()).isEqualTo(4);
                assertThat(socket.getTcpKeepCnt()).isEqualTo(3);
            } finally {
                connection.disposeNow();
            }
        }
    }

    @Test
    void onAnotherTransportTheConnectionIsMadeWithoutThem() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // where there is no native epoll (another platform), reactor-netty falls back to NIO
            Connection connection = TcpClient.create(ConnectionProvider.newConnection())
                    .runOn(
                            new NetworkTimeoutLoopResources(TcpResources::get, new SilentPeer(Duration.ofSeconds(12))),
                            false)
                    .remoteAddress(server::getLocalSocketAddress)
                    .connectNow(Duration.ofSeconds(5));
            try {
                assertThat(connection.channel()).isInstanceOf(NioSocketChannel.class);
                assertThat(connection.channel().isActive()).isTrue();
            } finally {
                connection.disposeNow();
            }
        }
    }
}
