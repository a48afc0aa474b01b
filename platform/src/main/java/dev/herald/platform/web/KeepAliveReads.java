package dev.herald.platform.web;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Turns on Reactor Netty's {@code reactor.netty.http.server.lastFlushWhenNoRead} for every Herald app, unless it
 * is set already. In Reactor Netty 1.3.6 a keep-alive request that arrives before the previous request's
 * operations have ended is queued, and when that queued request is answered at once the server never reads the
 * connection again: the client's next request on it waits until the client gives up
 * (reactor/reactor-netty#4361 and #4347). With the setting, the previous request's operations end before the
 * check, so the new request is handled directly instead of queued. Reactor Netty reads the setting once, when its
 * HTTP server first loads, so it is set while the environment is prepared, before any server starts. The upstream
 * fix (1.3.8) makes this unnecessary.
 */
public class KeepAliveReads implements EnvironmentPostProcessor {

    static final String SETTING = "reactor.netty.http.server.lastFlushWhenNoRead";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (System.getProperty(SETTING) == null) {
            System.setProperty(SETTING, "true");
        }
    }
}
