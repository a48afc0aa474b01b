package dev.herald.devstack.bench;

import dev.herald.testkit.Procfs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The CPU time of this machine's Redis server: every running process named {@code redis-server}, read from {@code
 * /proc} through {@link ProcessHandle}. A benchmark charges it per request next to the app's own, since Redis
 * shares the cores; it is empty where no such process can be seen (Redis on another host, or owned by a user whose
 * processes this one may not inspect).
 */
public final class RedisServer {

    /**
     * The name Redis gives its process. Not its program: Debian installs {@code redis-server} as a link to {@code
     * redis-check-rdb}, which {@code /proc/<pid>/exe} names, and Redis rewrites its command line.
     */
    private static final String NAME = "redis-server";

    private final List<ProcessHandle> processes;

    private RedisServer(List<ProcessHandle> processes) {
        this.processes = processes;
    }

    /** The Redis server processes running now, or empty when there are none this process can read. */
    public static Optional<RedisServer> find() {
        List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(p -> Procfs.firstLine(Path.of("/proc", Long.toString(p.pid()), "comm"))
                        .filter(NAME::equals)
                        .isPresent())
                .filter(p -> p.info().totalCpuDuration().isPresent())
                .toList();
        return found.isEmpty() ? Optional.empty() : Optional.of(new RedisServer(found));
    }

    /** CPU time the server has used so far, user and system, summed over its processes that are still alive. */
    public Duration cpuTime() {
        return processes.stream()
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }
}
