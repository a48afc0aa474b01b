package dev.herald.platform.web;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Closes an HTTP/1.1 connection after the answer to the request that asked for it ({@code Connection: close}),
 * not before. Reactor Netty 1.3.6 takes a close asked by a request pipelined behind one still running as the
 * running one's: it answers that one with {@code Connection: close}, closes, and drops the pipelined request
 * unanswered; and behind an answer still going out, it queues the request and never serves it, the connection
 * left open. So every request but a connection's first reaches Reactor Netty as a kept-alive one, its answer says
 * {@code Connection: close}, the connection closes once it has gone out, and whatever the client sent after it is
 * dropped, as the close asked. One per connection, between the HTTP/1.1 codec and Reactor Netty's handling.
 */
final class PipelinedClose extends ChannelDuplexHandler {

    static final String NAME = "herald.pipelinedClose";

    /** Requests read, answers (not 1xx) written, and the request after whose answer to close; 0 for none. */
    private long requests;

    private long answered;
    private long closeAfter;
    private boolean informational;

    /** The closing request has been read whole: what follows it is not read. */
    private boolean closed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            requests++;
            // any request but a connection's first: one behind an answer that is written but still going out is
            // queued by Reactor Netty as well, and its close made that queue never resume (the connection hung)
            if (closeAfter == 0 && requests > 1 && !HttpUtil.isKeepAlive(request)) {
                HttpUtil.setKeepAlive(request, true);
                closeAfter = requests;
            }
        }
        boolean closing = closeAfter != 0 && requests == closeAfter && msg instanceof LastHttpContent;
        ctx.fireChannelRead(msg);
        if (closing) {
            closed = true;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (!informational && closeAfter == answered + 1) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        if (msg instanceof LastHttpContent && !informational && ++answered == closeAfter) {
            ctx.write(msg, promise.unvoid()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.write(msg, promise);
    }
}
