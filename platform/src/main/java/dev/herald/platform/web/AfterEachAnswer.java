package dev.herald.platform.web;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import reactor.netty.NettyPipeline;

/**
 * What an HTTP/1.1 connection does once each answer has gone out: asks for more input, or, once the app is stopping,
 * closes.
 *
 * <p>Reading on: Reactor Netty reads a connection only when it asks to, and in 1.3.6 one path never asks again: a
 * request pipelined behind another (sent before the first was answered) is queued, and when it is answered at once,
 * as a 401 is, the queue drains without the next read being asked for, so the client's next request on that
 * connection waits until the client gives up (reactor/reactor-netty#4361 and #4347; {@link KeepAliveReads} closes
 * the other path into it). A read asked for while one is pending, or with nothing to read, costs nothing; the read is
 * asked for through the whole pipeline, so Reactor Netty's own handling of what arrives (queueing pipelined
 * requests, its limits) is unchanged. The upstream fix (1.3.8) makes this unnecessary.
 *
 * <p>Closing: graceful shutdown waits for the requests under way when it begins, but a kept-alive connection whose
 * request finishes meanwhile can bring in another, which then runs while the app's beans stop (ingest-api's Redis
 * client, say) and may lose its answer to the connection's closing. So from just before graceful shutdown begins,
 * each answer says {@code Connection: close} and its connection is closed once it has gone out: a client's next
 * request opens a connection, to another instance once this one no longer listens.
 */
@ChannelHandler.Sharable
final class AfterEachAnswer extends ChannelOutboundHandlerAdapter implements SmartLifecycle {

    static final String NAME = "herald.afterEachAnswer";

    private volatile boolean running;
    private volatile boolean stopping;

    /**
     * Puts the handler, and a {@link PipelinedClose} of the connection's own, between the HTTP/1.1 codec and
     * Reactor Netty's handling, where answers pass whole.
     */
    NettyServerCustomizer customizer() {
        return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(NAME) == null) {
                pipeline.addAfter(NettyPipeline.HttpCodec, NAME, this);
                pipeline.addAfter(NAME, PipelinedClose.NAME, new PipelinedClose());
            }
        });
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (stopping && msg instanceof HttpResponse response) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (!(msg instanceof LastHttpContent)) {
            ctx.write(msg, promise);
            return;
        }
        Channel channel = ctx.channel();
        ChannelPromise written = promise.unvoid();
        written.addListener(done -> {
            if (stopping) {
                channel.close();
            } else if (done.isSuccess()) {
                // after the task under way, in which Reactor Netty may still be draining its queue
                channel.eventLoop().execute(() -> {
                    if (channel.isActive()) {
                        channel.read();
                    }
                });
            }
        });
        ctx.write(msg, written);
    }

    @Override
    public void start() {
        running = true;
    }

    /** The app is stopping: from now on each connection closes after its answer. */
    @Override
    public void stop() {
        stopping = true;
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops just before the web server's graceful shutdown begins. */
    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
    }
}
