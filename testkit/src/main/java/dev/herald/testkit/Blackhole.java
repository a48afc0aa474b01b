package dev.herald.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * Makes a spare loopback address silent, as a crashed host or a network dropping packets is: a blackhole route
 * keeps anything from reaching it, with no reset and no error, so connections to it stay open and what is sent on
 * them is never acknowledged. Put the server a test takes away behind {@link #proxy}, then {@link #drop()}. Each
 * test class takes its own address, as builds may run modules side by side. Linux only, and it needs the right to
 * change routes (root): elsewhere the proxy is on the usual loopback address and {@link #drop()} says it cannot.
 */
public final class Blackhole implements AutoCloseable {

    private final InetAddress address;
    private final boolean usable;
    private final String route;
    private boolean dropping;

    /** @param address a loopback address nothing else uses, e.g. {@code 127.0.0.2} */
    public Blackhole(String address) {
        InetAddress spare = resolve(address);
        // Linux answers on all of 127.0.0.0/8; other systems only on the addresses given to their loopback
        this.usable = bindable(spare);
        this.address = usable ? spare : InetAddress.getLoopbackAddress();
        this.route = address + "/32";
        if (usable) {
            // a route left behind by a test run that was killed
            ip("route", "del", "blackhole", route, "table", "local");
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(this::restore));
        }
    }

    /** The address to serve on, for a server a test starts itself: the spare one, or the usual loopback one. */
    public String host() {
        return address.getHostAddress();
    }

    /** A proxy to {@code host}:{@code port} on this address, which {@link #drop()} silences. */
    public TcpProxy proxy(String host, int port) {
        return TcpProxy.to(host, port, address);
    }

    /** Starts dropping what is sent to the address; false when that cannot be done here. */
    public synchronized boolean drop() {
        dropping = usable && ip("route", "add", "blackhole", route, "table", "local");
        return dropping;
    }

    /** Lets what is sent to the address through again. */
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

    private static boolean bindable(InetAddress address) {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress resolve(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }
}
