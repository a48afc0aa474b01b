package dev.herald.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * Makes a spare loopback address silent, as a crashed host or a network dropping packets is: every packet sent to
 * it is dropped (a blackhole route), with no reset and no error, so connections to it stay open and what is sent
 * on them is never acknowledged. Put a {@link TcpProxy} on {@link #ADDRESS} in front of a server and {@link
 * #drop()} to take the server away that way. Linux only, and it needs the right to change routes (root): {@link
 * #drop()} says whether it could.
 */
public final class Blackhole implements AutoCloseable {

    /** A loopback address nothing else uses (Linux answers on all of 127.0.0.0/8). */
    public static final InetAddress ADDRESS = address("127.0.0.2");

    private final String route = ADDRESS.getHostAddress() + "/32";
    private boolean dropping;

    /** Starts dropping packets to {@link #ADDRESS}; false when this process may not add the route. */
    public synchronized boolean drop() {
        // a route left behind by a test that was killed would make this add fail
        ip("route", "del", "blackhole", route, "table", "local");
        dropping = ip("route", "add", "blackhole", route, "table", "local");
        return dropping;
    }

    /** Delivers packets to {@link #ADDRESS} again. */
    public synchronized void restore() {
        if (dropping) {
            dropping = !ip("route", "del", "blackhole", route, "table", "local");
        }
    }

    @Override
    public void close() {
        restore();
    }

    private static boolean ip(String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = "ip";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        try {
            Process ip = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!ip.waitFor(10, TimeUnit.SECONDS)) {
                ip.destroyForcibly();
                return false;
            }
            return ip.exitValue() == 0;
        } catch (IOException e) {
            return false; // no ip command: not Linux, or a minimal image
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }
}
