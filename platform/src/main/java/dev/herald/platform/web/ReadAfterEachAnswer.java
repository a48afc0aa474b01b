package dev.herald.platform.web;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;

/**
 * Asks the connection for more input once each HTTP/1.1 answer has gone out. Reactor Netty reads a connection only
 * when it asks to, and in 1.3.6 one path never asks again: a request pipelined behind another (sent before the
 * first was answered) is queued, and when it is answered at once, as a 401 is, the queue drains without the next
 * read being asked for, so the client's next request on that connection waits until the client gives up
 * (reactor/reactor-netty#4361 and #4347; {@link KeepAliveReads} closes the other path into it). A read asked for
 * while one is pending, or with nothing to read, costs nothing; the read is asked for through the whole pipeline,
 * so Reactor Netty's own handling of what arrives (queueing pipelined requests, its limits) is unchanged. The
 * upstream fix (1.3.8) makes this unnecessary.
 */
@ChannelHandler.Sharable
final class ReadAfterEachAnswer extends ChannelOutboundHandlerAdapter {

    static final String NAME = "herald.readAfterEachAnswer";

    private static final ReadAfterEachAnswer INSTANCE = new ReadAfterEachAnswer();

    private ReadAfterEachAnswer() {}

    /** Puts the handler between the HTTP/1.1 codec and Reactor Netty's handling, where answers pass whole. */
    static NettyServerCustomizer customizer() {
        return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(NAME) == null) {
                pipeline.addAfter(NettyPipeline.HttpCodec, NAME, INSTANCE);
            }
        });
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof LastHttpContent)) {
            ctx.write(msg, promise);
            return;
        }
        Channel channel = ctx.channel();
        ChannelPromise written = promise.unvoid();
        written.addListener(done -> {
            if (done.isSuccess()) {
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
}
