package dev.herald.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.platform.outbox.OutboxRelay.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The relay's rules for rows an earlier attempt may already have published. */
class OutboxRelayTest {

    private static final OffsetDateTime CLAIMED = OffsetDateTime.parse("2026-11-21T10:00:00Z");

    @Test
    void ofTheRowsAnEarlierAttemptClaimedOnlyTheNewestOfEachKeyIsSentAgain() {
        Row a1 = row(1, "a", CLAIMED);
        Row b1 = row(2, "b", CLAIMED);
        Row a2 = row(3, "a", CLAIMED);
        Row a3 = row(4, "a", null); // committed after the claim: never sent
        Row b2 = row(5, "b", null);

        assertThat(OutboxRelay.supersededRetries(List.of(a1, b1, a2, a3, b2))).containsExactly(a1);
    }

    @Test
    void rowsNeverClaimedAreAllSentInOrder() {
        List<Row> fresh = List.of(row(1, "a", null), row(2, "a", null), row(3, "a", null));
        assertThat(OutboxRelay.supersededRetries(fresh)).isEmpty();
    }

    @Test
    void theSameKeyOnAnotherTopicIsAnotherKey() {
        Row users = new Row(1, "users", "k", null, CLAIMED);
        Row templates = new Row(2, "templates", "k", null, CLAIMED);
        assertThat(OutboxRelay.supersededRetries(List.of(users, templates))).isEmpty();
    }

    @Test
    void afterAPartialFailureAcknowledgedRowsAndOlderRowsOfTheirKeyLeaveTheRestStays() {
        Row a1 = row(1, "a", null);
        Row a2 = row(2, "a", null);
        Row b1 = row(3, "b", null);
        Row a3 = row(4, "a", null);
        Row b2 = row(5, "b", null);

        // a1 failed but a newer a2 landed: a1 can never be sent again after a2; b and a3 wait for the retry
        assertThat(OutboxRelay.removable(List.of(a1, a2, b1, a3, b2), Set.of(), Set.of(a2)))
                .containsExactly(a1, a2);
        assertThat(OutboxRelay.removable(List.of(a1, a2, b1, a3, b2), Set.of(), Set.of(a1, a2, b1, a3, b2)))
                .containsExactly(a1, a2, b1, a3, b2);
    }

    @Test
    void supersededRowsLeaveEvenWhenNothingWasAcknowledged() {
        Row a1 = row(1, "a", CLAIMED);
        Row a2 = row(2, "a", CLAIMED);
        assertThat(OutboxRelay.removable(List.of(a1, a2), Set.of(a1), Set.of())).containsExactly(a1);
    }

    private static Row row(long id, String key, OffsetDateTime previousClaim) {
        return new Row(id, "users", key, null, previousClaim);
    }
}
