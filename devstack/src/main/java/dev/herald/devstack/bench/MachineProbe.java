package dev.herald.devstack.bench;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast this machine is right now at four things a request's cost is made of, measured before a benchmark
 * loads it, so that figures from different runs can be read side by side: arithmetic, reads from memory, waking
 * another thread and waiting for it to wake this one back, and a system call. On a virtual machine the last three
 * can cost several times more on one day than on another while arithmetic stays the same, and a web request spends
 * much of its time on exactly those.
 *
 * @param computeNanos nanoseconds per step of a dependent integer loop (a few instructions)
 * @param memoryNanos nanoseconds per read at a random place in {@code memoryMb} MB, each waiting for the last: it
 *     misses every cache and, with 4 KB pages, the TLB too, so it includes the page-table walk, which a virtual
 *     machine may make dearer
 * @param memoryMb how much memory the reads range over
 * @param wakeupMicros microseconds for one thread to wake another and be woken back (park and unpark); on an idle
 *     machine the scheduler usually puts the two on different cores
 * @param syscallMicros microseconds per {@code Thread.yield} ({@code sched_yield}) with nothing else to run: a
 *     system call that returns at once
 */
public record MachineProbe(
        double computeNanos, double memoryNanos, int memoryMb, double wakeupMicros, double syscallMicros) {

    /** The benchmarks' size: far beyond any cache. */
    static final int MEMORY_MB = 128;

    /**
     * Measures for about 5 s in all, filling {@value #MEMORY_MB} MB included; each figure is the best of three
     * rounds, as the least disturbed.
     */
    public static MachineProbe measure() {
        return measure(MEMORY_MB);
    }

    static MachineProbe measure(int memoryMb) {
        int[] chain = randomCycle(memoryMb * 1024 * 1024 / Integer.BYTES);
        double compute = Double.MAX_VALUE;
        double memory = Double.MAX_VALUE;
        double wakeup = Double.MAX_VALUE;
        double syscall = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            compute = Math.min(compute, compute(50_000_000));
            memory = Math.min(memory, memory(chain, 2_000_000));
            wakeup = Math.min(wakeup, wakeup(10_000));
            syscall = Math.min(syscall, syscall(100_000));
        }
        return new MachineProbe(compute, memory, memoryMb, wakeup, syscall);
    }

    @Override
    public String toString() {
        return String.format(
                "compute %.2f ns/step, memory %.0f ns/read (%d MB, random), thread wake-up round trip %.1f µs,"
                        + " system call %.2f µs",
                computeNanos, memoryNanos, memoryMb, wakeupMicros, syscallMicros);
    }

    /** Sink for results, so the JIT cannot drop the loops. */
    private static volatile long sink;

    private static double compute(int steps) {
        long x = System.nanoTime() | 1;
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            // xorshift: each step needs the last
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        long took = System.nanoTime() - start;
        sink = x;
        return took / (double) steps;
    }

    /** A single cycle through every index, in random order (Sattolo's algorithm), to chase without prefetching. */
    static int[] randomCycle(int length) {
        int[] next = new int[length];
        for (int i = 0; i < length; i++) {
            next[i] = i;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = length - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int swap = next[i];
            next[i] = next[j];
            next[j] = swap;
        }
        return next;
    }

    private static double memory(int[] chain, int reads) {
        int at = 0;
        long start = System.nanoTime();
        for (int i = 0; i < reads; i++) {
            at = chain[at];
        }
        long took = System.nanoTime() - start;
        sink = at;
        return took / (double) reads;
    }

    private static double wakeup(int roundTrips) {
        Thread caller = Thread.currentThread();
        AtomicBoolean ball = new AtomicBoolean(); // true: the peer's turn
        AtomicBoolean done = new AtomicBoolean();
        Thread peer = Thread.ofPlatform().daemon().start(() -> {
            while (!done.get()) {
                if (ball.compareAndSet(true, false)) {
                    LockSupport.unpark(caller);
                } else {
                    LockSupport.park();
                }
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < roundTrips; i++) {
            ball.set(true);
            LockSupport.unpark(peer);
            while (ball.get()) {
                LockSupport.park();
            }
        }
        long took = System.nanoTime() - start;
        done.set(true);
        LockSupport.unpark(peer);
        return took / 1000.0 / roundTrips;
    }

    private static double syscall(int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            Thread.yield();
        }
        return (System.nanoTime() - start) / 1000.0 / calls;
    }
}
