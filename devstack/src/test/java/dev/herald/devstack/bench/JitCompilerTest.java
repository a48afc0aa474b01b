package dev.herald.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JitCompilerTest {

    @Test
    void readsUserAndSystemTimeAfterACommandWithSpacesAndParentheses() {
        String stat = "4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194368 120 0 0 0 731 29 0 0 20 0 1 0 5 0 0";
        assertThat(JitCompiler.cpuTicks(stat)).isEqualTo(760);
        assertThat(JitCompiler.cpuTicks("7 (a) b) (c) R 1 7 7 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 5 0 0"))
                .isEqualTo(11);
    }

    @Test
    void knowsHotSpotsCompilerThreadsByName() {
        assertThat(JitCompiler.isCompilerThread("C2 CompilerThre")).isTrue();
        assertThat(JitCompiler.isCompilerThread("C1 CompilerThre")).isTrue();
        assertThat(JitCompiler.isCompilerThread("GC Thread#0")).isFalse();
        assertThat(JitCompiler.isCompilerThread("reactor-http-ep")).isFalse();
    }

    @Test
    void countsWhatEachThreadStillThereUsedAndNeverLessThanNothing() {
        JitCompiler before = new JitCompiler(Map.of("10", 500L, "11", 300L, "12", 100L));
        // thread 12 stopped (its time left /proc), thread 13 started
        JitCompiler after = new JitCompiler(Map.of("10", 520L, "11", 300L, "13", 7L));

        assertThat(before.since(after)).isEqualTo(Duration.ofMillis(270));
        assertThat(after.since(before)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void readsTheCompilerTimeOfARunningJvm() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux's /proc");
        // a fresh JVM compiles its start-up and whatever runs hot: this test's own JVM may have compiled it all
        Process jvm = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElseThrow(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HotLoop.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("compiled");

            JitCompiler compiler = JitCompiler.of(jvm.pid()).orElseThrow();

            assertThat(compiler.ticks()).isNotEmpty();
            assertThat(new JitCompiler(Map.of()).since(compiler)).isPositive();
        } finally {
            jvm.destroy();
            jvm.waitFor();
        }
    }

    @Test
    void cannotReadAProcessThatIsGone() throws Exception {
        Process done = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElseThrow(), "-version")
                .redirectErrorStream(true)
                .start();
        done.getInputStream().readAllBytes();
        done.waitFor();

        assertThat(JitCompiler.of(done.pid())).isEmpty();
    }

    /** Runs hot code for half a second, says so, then waits to be stopped. */
    static final class HotLoop {

        public static void main(String[] args) throws InterruptedException {
            long sum = 0;
            long end = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < end) {
                sum += IntStream.range(0, 1000)
                        .mapToObj(Integer::toString)
                        .collect(Collectors.joining(","))
                        .hashCode();
            }
            System.out.println(sum != 0 ? "compiled" : "nothing");
            Thread.sleep(60_000);
        }
    }
}
