package dev.herald.platform.db;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import java.time.Duration;
import reactor.netty.resources.LoopResources;

/**
 * The PostgreSQL driver's event loops, with sockets that notice a database gone silent: each gets Linux's {@code
 * TCP_USER_TIMEOUT} (data unacknowledged for the network timeout drops the connection, which fails the queries
 * under way on it) and keep-alive probes after as long idle, three of them a third of that apart. Without these,
 * a query sent to a host that vanished without a reset (a crash, a failover, a network dropping packets) waits
 * until TCP gives up after about 15 minutes, and holds its pooled connection meanwhile. Everything else is the
 * delegate's; disposing of these leaves the delegate running. Only the native epoll transport has these options:
 * on another, the sockets keep the system's settings.
 */
final class NetworkTimeoutLoopResources implements LoopResources {

    private final LoopResources delegate;
    private final int timeoutMillis;
    private final int keepAliveIdleSeconds;

    NetworkTimeoutLoopResources(LoopResources delegate, Duration timeout) {
        this.delegate = delegate;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
        this.keepAliveIdleSeconds = Math.toIntExact(Math.max(1, timeout.toSeconds()));
    }

    @Override
    public <C extends Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
        C channel = delegate.onChannel(channelType, group);
        if (channel.config() instanceof EpollSocketChannelConfig socket) {
            socket.setTcpUserTimeout(timeoutMillis);
            socket.setTcpKeepIdle(keepAliveIdleSeconds);
            socket.setTcpKeepIntvl(Math.max(1, keepAliveIdleSeconds / 3));
            socket.setTcpKeepCnt(3);
        }
        return channel;
    }

    @Override
    public <C extends Channel> Class<? extends C> onChannelClass(Class<C> channelType, EventLoopGroup group) {
        return delegate.onChannelClass(channelType, group);
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return delegate.onClient(useNative);
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return delegate.onServer(useNative);
    }

    @Override
    public EventLoopGroup onServerSelect(boolean useNative) {
        return delegate.onServerSelect(useNative);
    }

    @Override
    public boolean daemon() {
        return delegate.daemon();
    }
}
