package dev.herald.platform.net;

import java.time.Duration;

/**
 * How a TCP connection notices, within about {@code timeout}, a peer that went silent (its host crashed or moved,
 * a network drops its packets) rather than after the 15 minutes TCP retransmits for: Linux's {@code
 * TCP_USER_TIMEOUT} drops the connection once data sent on it has gone unacknowledged for {@code timeout}, and
 * keep-alive probes, sent after {@code timeout} of quiet and then a third of it apart, drop an idle connection at
 * the first unanswered probe once {@code timeout} has passed since the peer was last heard (so after {@code
 * timeout} and a third of it, about 20 s for 15 s). Both need the native epoll transport.
 */
public record SilentPeer(Duration timeout) {

    /** Probes sent; with a user timeout set, Linux drops the connection by that timeout rather than this count. */
    public static final int KEEP_ALIVE_PROBES = 3;

    /** {@code TCP_USER_TIMEOUT}. */
    public int userTimeoutMillis() {
        return Math.toIntExact(timeout.toMillis());
    }

    /** Quiet before the first keep-alive probe ({@code TCP_KEEPIDLE}), in whole seconds. */
    public int keepAliveIdleSeconds() {
        return Math.toIntExact(Math.max(1, timeout.toSeconds()));
    }

    /** Between two probes ({@code TCP_KEEPINTVL}), in whole seconds. */
    public int keepAliveIntervalSeconds() {
        return Math.max(1, keepAliveIdleSeconds() / 3);
    }
}
