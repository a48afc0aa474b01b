package dev.herald.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads Linux's {@code /proc} files, which the JDK's whole-file reads get wrong. */
public final class Procfs {

    private Procfs() {}

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
