package dev.herald.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks TCP ports that are free on localhost right now, for servers that must know their port up front. They come
 * from below the kernel's range for the local ports of outgoing connections: a port from that range can be taken
 * by any client connection (a Kafka or Redis client, say) between the pick and the server's bind, which made
 * servers fail to start now and then. No port is handed out twice by one JVM.
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    public static int pick() {
        int end = ephemeralStart();
        for (int attempt = 0; end - LOWEST > 1_000 && attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
            if (HANDED_OUT.add(port) && free(port)) {
                return port;
            }
        }
        return anyFree();
    }

    /** Where the ephemeral range starts; where it is not known, the range Linux uses by default. */
    private static int ephemeralStart() {
        return ephemeralStart(EPHEMERAL_RANGE);
    }

    /** The first number in {@code rangeFile}; where it is not there, the range Linux uses by default. */
    static int ephemeralStart(Path rangeFile) {
        try {
            return Procfs.firstLine(rangeFile)
                    .map(line -> Integer.parseInt(line.strip().split("\\s+")[0]))
                    .orElse(DEFAULT_EPHEMERAL_START);
        } catch (NumberFormatException e) {
            return DEFAULT_EPHEMERAL_START;
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port the kernel chooses, as the last resort; still never one this JVM handed out before. */
    private static int anyFree() {
        for (int attempt = 0; attempt < 200; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", 0));
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }
        throw new IllegalStateException("no free port that was not handed out already");
    }
}
