package dev.herald.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

class AfterEachAnswerTest {

    private final AfterEachAnswer afterEachAnswer = new AfterEachAnswer();

    @Test
    void connectionsStayOpenWhileTheAppRunsAndCloseAfterTheirAnswerOnceItStops() {
        afterEachAnswer.start();
        EmbeddedChannel running = new EmbeddedChannel(afterEachAnswer);
        running.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.ACCEPTED));
        running.runPendingTasks();
        assertThat(running.<HttpResponse>readOutbound().headers().contains(HttpHeaderNames.CONNECTION))
                .isFalse();
        assertThat(running.isActive()).isTrue();

        afterEachAnswer.stop();
        assertThat(afterEachAnswer.isRunning()).isFalse();

        // an answer in two parts, as a streamed body goes: the head says close, the connection closes after the end
        running.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(running.<HttpResponse>readOutbound().headers().get(HttpHeaderNames.CONNECTION))
                .isEqualTo("close");
        assertThat(running.isActive()).isTrue();
        running.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        running.runPendingTasks();
        assertThat(running.isActive()).isFalse();

        EmbeddedChannel later = new EmbeddedChannel(afterEachAnswer);
        later.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.ACCEPTED));
        assertThat(later.<HttpResponse>readOutbound().headers().get(HttpHeaderNames.CONNECTION))
                .isEqualTo("close");
        assertThat(later.isActive()).isFalse();
    }
}
