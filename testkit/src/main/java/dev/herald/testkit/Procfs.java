package dev.herald.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads Linux's {@code /proc} files, which the JDK's whole-file reads get wrong. */
public final class Procfs {

    /** Clock ticks a second of the CPU times in {@code /proc}: Linux's {@code USER_HZ}, 100 on every usual build. */
    private static final long TICKS_PER_SECOND = 100;

    private Procfs() {}

    /** The time {@code ticks} clock ticks of a {@code /proc} CPU time stand for. */
    public static Duration ticks(long ticks) {
        return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
    }

    /**
     * The first line of {@code file}, or empty when it is missing, unreadable or empty. Read line by line:
     * {@code Files.readString} and {@code readAllBytes} trust the size the file system reports, procfs reports 0,
     * and they returned {@code "3"} for {@code "32768\t60999\n"}.
     */
    public static Optional<String> firstLine(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            return Optional.ofNullable(reader.readLine());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
