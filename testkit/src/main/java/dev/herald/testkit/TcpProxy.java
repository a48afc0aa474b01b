package dev.herald.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on a free local port in front of a server, which a test can {@link #cut()}: every connection through
 * it is closed and new ones are closed as soon as they are accepted, as if the server had gone away, until {@link
 * #restore()}. Lets a test take a shared server (the machine's PostgreSQL) away from one app only.
 */
public final class TcpProxy implements AutoCloseable {

    private final String host;
    private final int port;
    private final ServerSocket server;
    /** The open sockets; with {@link #cut}, guarded by {@code this}, so no connection slips past a cut. */
    private final Set<Socket> sockets = new HashSet<>();

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private boolean cut;

    private TcpProxy(String host, int port, InetAddress listenOn) throws IOException {
        this.host = host;
        this.port = port;
        this.server = new ServerSocket(0, 50, listenOn);
        threads.execute(this::accept);
    }

    /** A proxy to {@code host}:{@code port} on the loopback address, accepting connections at once. */
    public static TcpProxy to(String host, int port) {
        return to(host, port, InetAddress.getLoopbackAddress());
    }

    /** A proxy to {@code host}:{@code port} on the local address {@code listenOn}, accepting connections at once. */
    public static TcpProxy to(String host, int port, InetAddress listenOn) {
        try {
            return new TcpProxy(host, port, listenOn);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The local address to connect to instead of the server's. */
    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    /** The local port to connect to instead of the server's. */
    public int port() {
        return server.getLocalPort();
    }

    /** Closes every connection through the proxy and every new one, until {@link #restore()}. */
    public synchronized void cut() {
        cut = true;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Forwards new connections to the server again. */
    public synchronized void restore() {
        cut = false;
    }

    @Override
    public void close() {
        closeQuietly(server);
        cut();
        threads.shutdownNow();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Socket upstream;
            try {
                upstream = new Socket(host, port);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            if (!track(client, upstream)) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            threads.execute(() -> pump(client, upstream));
            threads.execute(() -> pump(upstream, client));
        }
    }

    /** Registers a new connection's two sockets, unless the proxy is cut; then a cut closes them. */
    private synchronized boolean track(Socket client, Socket upstream) {
        if (cut) {
            return false;
        }
        sockets.add(client);
        sockets.add(upstream);
        return true;
    }

    private synchronized void untrack(Socket... closed) {
        for (Socket socket : closed) {
            sockets.remove(socket);
        }
    }

    /** Copies {@code from} to {@code to} until either closes, then closes both. */
    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: the finally below ends the other
        } finally {
            untrack(from, to);
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
