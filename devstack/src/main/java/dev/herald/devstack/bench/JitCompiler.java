package dev.herald.devstack.bench;

import dev.herald.testkit.Procfs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU time a JVM's JIT compiler threads have used, from {@code /proc/<pid>/task/*}: HotSpot names them {@code
 * C1 CompilerThread<n>} and {@code C2 CompilerThread<n>}, which Linux cuts to {@code C1 CompilerThre}. On two cores
 * C2 keeps compiling for minutes of load, so a benchmark watches it to tell a warmed-up JVM from one still
 * compiling, whose figures would be slower than its steady state.
 *
 * <p>HotSpot starts and stops compiler threads as its queue grows and shrinks, and a stopped thread's time leaves
 * {@code /proc}: so a reading is per thread, and {@link #since} counts only what each thread still there used
 * (never less than nothing; the last moments of a thread that stopped in between go uncounted).
 *
 * @param ticks CPU clock ticks (user and system) per compiler thread id
 */
public record JitCompiler(Map<String, Long> ticks) {

    /** The compiler threads of process {@code pid} now, or empty where {@code /proc} cannot tell (or it is gone). */
    public static Optional<JitCompiler> of(long pid) {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                if (Procfs.firstLine(task.resolve("comm"))
                        .filter(JitCompiler::isCompilerThread)
                        .isPresent()) {
                    Procfs.firstLine(task.resolve("stat"))
                            .ifPresent(stat -> ticks.put(task.getFileName().toString(), cpuTicks(stat)));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new JitCompiler(Map.copyOf(ticks)));
    }

    /** CPU time the compiler threads of {@code later} used since this reading. */
    public Duration since(JitCompiler later) {
        long used = 0;
        for (Map.Entry<String, Long> thread : later.ticks.entrySet()) {
            used += Math.max(0, thread.getValue() - ticks.getOrDefault(thread.getKey(), 0L));
        }
        return Procfs.ticks(used);
    }

    static boolean isCompilerThread(String name) {
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    /**
     * utime + stime of a {@code stat} line: its fields 14 and 15, counting the thread id as field 1 and the
     * command, in parentheses and perhaps itself holding spaces and parentheses, as field 2.
     */
    static long cpuTicks(String stat) {
        // from field 3 (the state) on
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
