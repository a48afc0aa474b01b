package dev.herald.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

class PipelinedCloseTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new PipelinedClose());

    @Test
    void aCloseAskedByAPipelinedRequestWaitsForItsOwnAnswerAndWhatFollowsIsDropped() {
        request(false);
        request(true);
        request(false);
        HttpRequest first = channel.readInbound();
        assertThat(HttpUtil.isKeepAlive(first)).isTrue();
        channel.<LastHttpContent>readInbound();
        HttpRequest second = channel.readInbound();
        assertThat(HttpUtil.isKeepAlive(second))
                .as("the server's handling sees it kept alive")
                .isTrue();
        channel.<LastHttpContent>readInbound();
        assertThat(channel.<Object>readInbound())
                .as("the request after the close")
                .isNull();

        // a 100 Continue is no answer
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.ACCEPTED));
        channel.<HttpResponse>readOutbound();
        assertThat(channel.<HttpResponse>readOutbound().headers().contains(HttpHeaderNames.CONNECTION))
                .isFalse();
        assertThat(channel.isActive()).isTrue();

        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED));
        assertThat(channel.<HttpResponse>readOutbound().headers().get(HttpHeaderNames.CONNECTION))
                .isEqualTo("close");
        assertThat(channel.isActive()).isFalse();
    }

    /** Answered before the close came, but (on a real socket) perhaps still going out: Reactor Netty hung on it. */
    @Test
    void aCloseAskedAfterAnAnsweredRequestIsAlsoClosedHere() {
        request(false);
        channel.<HttpRequest>readInbound();
        channel.<LastHttpContent>readInbound();
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.<HttpResponse>readOutbound();

        request(true);
        assertThat(HttpUtil.isKeepAlive(channel.<HttpRequest>readInbound())).isTrue();
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(channel.<HttpResponse>readOutbound().headers().get(HttpHeaderNames.CONNECTION))
                .isEqualTo("close");
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aCloseAskedWithNothingBeforeItIsLeftToTheServer() {
        request(true);
        assertThat(HttpUtil.isKeepAlive(channel.<HttpRequest>readInbound())).isFalse();
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.ACCEPTED));
        assertThat(channel.<HttpResponse>readOutbound().headers().contains(HttpHeaderNames.CONNECTION))
                .isFalse();
        assertThat(channel.isActive()).isTrue();
    }

    private void request(boolean close) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/notifications");
        if (close) {
            request.headers().set(HttpHeaderNames.CONNECTION, "close");
        }
        channel.writeInbound(request, LastHttpContent.EMPTY_LAST_CONTENT);
    }
}
