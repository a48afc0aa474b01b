package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreePortsTest {

    private static final Path KERNEL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    @Test
    void readsTheStartOfTheRangeFromTheKernelsFile() throws IOException {
        assumeTrue(Files.isReadable(KERNEL_RANGE), "a Linux kernel's port range file");
        int expected =
                Integer.parseInt(Files.readAllLines(KERNEL_RANGE).get(0).strip().split("\\s+")[0]);

        assertThat(FreePorts.ephemeralStart(KERNEL_RANGE)).isEqualTo(expected);
    }

    @Test
    void fallsBackToLinuxsDefaultWhenTheFileIsMissingOrUnreadable(@TempDir Path dir) throws IOException {
        assertThat(FreePorts.ephemeralStart(dir.resolve("missing"))).isEqualTo(32_768);
        assertThat(FreePorts.ephemeralStart(Files.writeString(dir.resolve("garbage"), "range\n")))
                .isEqualTo(32_768);
        assertThat(FreePorts.ephemeralStart(Files.writeString(dir.resolve("tabbed"), "40000\t60999\n")))
                .isEqualTo(40_000);
    }

    @Test
    void picksDistinctPortsBelowTheKernelsRangeForOutgoingConnections() {
        assumeTrue(Files.isReadable(KERNEL_RANGE), "a Linux kernel's port range file");
        int ephemeralStart = FreePorts.ephemeralStart(KERNEL_RANGE);
        assumeTrue(ephemeralStart > 21_000, "room below the kernel's range");

        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ports.add(FreePorts.pick());
        }

        assertThat(ports).hasSize(50).allSatisfy(port -> assertThat(port).isBetween(20_000, ephemeralStart - 1));
    }
}
