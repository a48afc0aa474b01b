package dev.herald.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class MachineCpuTest {

    @Test
    void countsIdleAndIoWaitAsNotBusy() {
        // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
        MachineCpu before = MachineCpu.parse("cpu  1000 0 200 5000 100 0 50 0 30 0");
        MachineCpu after = MachineCpu.parse("cpu  1300 0 250 5120 110 0 70 0 90 0");

        assertThat(before).isEqualTo(new MachineCpu(1250, 6350));
        assertThat(before.busyShare(after)).isCloseTo(370 / 500.0, within(1e-9));
        assertThat(before.busyMicros(after)).isEqualTo(3_700_000);
    }

    @Test
    void readsThisMachinesCounters() throws InterruptedException {
        MachineCpu before = MachineCpu.now();
        long spin = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < spin) {
            Thread.onSpinWait();
        }
        MachineCpu after = MachineCpu.now();

        assumeTrue(before.allTicks() > 0, "a Linux /proc/stat");
        assertThat(after.allTicks()).isGreaterThan(before.allTicks());
        assertThat(before.busyMicros(after)).isPositive();
        assertThat(before.busyShare(after)).isBetween(0.0, 1.0);
    }
}
