package dev.herald.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class MachineProbeTest {

    @Test
    void theMemoryChainVisitsEveryIndexOnceBeforeComingBack() {
        int[] chain = MachineProbe.randomCycle(10_000);
        BitSet seen = new BitSet(chain.length);
        int at = 0;
        for (int i = 0; i < chain.length; i++) {
            assertThat(seen.get(at)).as("index %d seen twice", at).isFalse();
            seen.set(at);
            at = chain[at];
        }
        assertThat(at).isZero();
        assertThat(seen.cardinality()).isEqualTo(chain.length);
    }

    @Test
    void measuresThisMachine() {
        MachineProbe probe = MachineProbe.measure(16);

        assertThat(probe.computeNanos()).isPositive();
        // a read that waits for the one before cannot be faster than a step of arithmetic
        assertThat(probe.memoryNanos()).isGreaterThan(probe.computeNanos());
        assertThat(probe.wakeupMicros()).isPositive();
        assertThat(probe.syscallMicros()).isPositive();
        assertThat(probe.toString()).contains("thread wake-up round trip");
    }
}
