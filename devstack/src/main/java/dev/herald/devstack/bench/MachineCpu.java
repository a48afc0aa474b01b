package dev.herald.devstack.bench;

import dev.herald.testkit.Procfs;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The whole machine's CPU time from {@code /proc/stat}: every process, the kernel and interrupts, so a benchmark
 * can tell a phase that used all cores (CPU-bound) from one that left some idle (bound by its latency), and what a
 * request cost the machine with the load generator, broker and Redis that share it.
 *
 * @param busyTicks ticks spent on anything but idle and I/O wait, summed over all cores
 * @param allTicks all ticks, summed over all cores
 */
public record MachineCpu(long busyTicks, long allTicks) {

    private static final Path STAT = Path.of("/proc/stat");

    /** Now, or zeros where there is no {@code /proc/stat}. */
    public static MachineCpu now() {
        return Procfs.firstLine(STAT).map(MachineCpu::parse).orElse(new MachineCpu(0, 0));
    }

    /** The aggregate line {@code cpu user nice system idle iowait irq softirq steal …}. */
    static MachineCpu parse(String line) {
        long[] ticks = Arrays.stream(line.strip().split("\\s+"))
                .skip(1)
                .limit(8)
                .mapToLong(Long::parseLong)
                .toArray();
        long all = Arrays.stream(ticks).sum();
        long idle = ticks[3] + (ticks.length > 4 ? ticks[4] : 0);
        return new MachineCpu(all - idle, all);
    }

    /** Share of all cores busy between this reading and {@code later}, 0 to 1. */
    public double busyShare(MachineCpu later) {
        long all = later.allTicks - allTicks;
        return all <= 0 ? 0 : (later.busyTicks - busyTicks) / (double) all;
    }

    /** Busy CPU time between this reading and {@code later}, in microseconds, all cores together. */
    public long busyMicros(MachineCpu later) {
        return Procfs.ticks(later.busyTicks - busyTicks).toNanos() / 1000;
    }
}
