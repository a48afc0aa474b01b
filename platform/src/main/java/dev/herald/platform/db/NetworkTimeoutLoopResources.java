package dev.herald.platform.db;

import dev.herald.platform.net.SilentPeer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.resources.LoopResources;

/**
 * The PostgreSQL driver's event loops, with sockets that notice a database gone silent ({@link SilentPeer}).
 * Without them, a query sent to a host that vanished without a reset (a crash, a failover, a network dropping
 * packets) waits until TCP gives up after about 15 minutes, and holds its pooled connection meanwhile. Everything
 * else is the delegate's, looked up on each use as the driver itself does; disposing of these leaves it running.
 * Only the native epoll transport has these options: on another, a warning says once that they are missing.
 */
final class NetworkTimeoutLoopResources implements LoopResources {

    private static final Logger log = LoggerFactory.getLogger(NetworkTimeoutLoopResources.class);

    private final Supplier<LoopResources> delegate;
    private final SilentPeer peer;
    private final AtomicBoolean warned = new AtomicBoolean();

    NetworkTimeoutLoopResources(Supplier<LoopResources> delegate, SilentPeer peer) {
        this.delegate = delegate;
        this.peer = peer;
    }

    @Override
    public <C extends Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
        C channel = delegate.get().onChannel(channelType, group);
        if (channel.config() instanceof EpollSocketChannelConfig socket) {
            socket.setTcpUserTimeout(peer.userTimeoutMillis());
            socket.setTcpKeepIdle(peer.keepAliveIdleSeconds());
            socket.setTcpKeepIntvl(peer.keepAliveIntervalSeconds());
            socket.setTcpKeepCnt(SilentPeer.KEEP_ALIVE_PROBES);
        } else if (warned.compareAndSet(false, true)) {
            log.warn(
                    "Database connections use {}, which cannot set TCP_USER_TIMEOUT or keep-alive timing (no native"
                            + " epoll transport for this platform): a database that goes silent is noticed only"
                            + " when TCP gives up",
                    channel.getClass().getSimpleName());
        }
        return channel;
    }

    @Override
    public <C extends Channel> Class<? extends C> onChannelClass(Class<C> channelType, EventLoopGroup group) {
        return delegate.get().onChannelClass(channelType, group);
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return delegate.get().onClient(useNative);
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return delegate.get().onServer(useNative);
    }

    @Override
    public EventLoopGroup onServerSelect(boolean useNative) {
        return delegate.get().onServerSelect(useNative);
    }

    @Override
    public boolean daemon() {
        return delegate.get().daemon();
    }
}
