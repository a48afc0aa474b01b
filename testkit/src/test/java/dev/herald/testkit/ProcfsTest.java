package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcfsTest {

    @Test
    void readsTheWholeFirstLineOfAProcFile() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range), "a Linux /proc");
        String expected = Files.readAllLines(range).get(0);

        assertThat(Procfs.firstLine(range)).contains(expected);
        assertThat(expected).matches("\\d+\\s+\\d+");
    }

    @Test
    void isEmptyForAMissingOrEmptyFile(@TempDir Path dir) throws IOException {
        assertThat(Procfs.firstLine(dir.resolve("missing"))).isEmpty();
        assertThat(Procfs.firstLine(Files.createFile(dir.resolve("empty")))).isEmpty();
    }
}
