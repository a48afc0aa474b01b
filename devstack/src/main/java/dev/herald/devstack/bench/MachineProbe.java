package dev.herald.devstack.bench;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast this machine is right now at the four things a request's cost is made of, measured before a benchmark
 * loads it, so that figures from different runs can be read side by side: arithmetic, reads from memory that miss
 * every cache, waking another thread and waiting for it to wake this one, and a system call. On a virtual machine
 * the last three can cost several times more on one day than on another while arithmetic stays the same, and a
 * web request spends much of its time on exactly those: the benchmark's throughput follows them.
 *
 * @param computeNanos nanoseconds per step of a dependent integer loop (a few instructions)
 * @param memoryNanos nanoseconds per dependent read at a random place in {@value #MEMORY_MB} MB
 * @param wakeupMicros microseconds for one thread to wake another and be woken back (park and unpark)
 * @param syscallMicros microseconds per {@code sched_yield} with nothing else to run (a bare system call)
 */
public record MachineProbe(double computeNanos, double memoryNanos, double wakeupMicros, double syscallMicros) {

    static final int MEMORY_MB = 128;

    /** Measures each for about half a second; best of three rounds, as the least disturbed. */
    public static MachineProbe measure() {
        int[] chain = randomCycle(MEMORY_MB * 1024 * 1024 / Integer.BYTES);
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
        return new MachineProbe(compute, memory, wakeup, syscall);
    }

    @Override
    public String toString() {
        return String.format(
                "compute %.2f ns/step, memory %.0f ns/read (%d MB, random), thread wake-up round trip %.1f µs,"
                        + " system call %.2f µs",
                computeNanos, memoryNanos, MEMORY_MB, wakeupMicros, syscallMicros);
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
