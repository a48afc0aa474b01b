package dev.herald.enrich.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.enrich.Fixtures;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Priority;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.UserProfile.QuietHours;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeferralTest {

    private static final ZoneId LISBON = ZoneId.of("Europe/Lisbon");

    @ParameterizedTest(name = "{0}-{1} at {2}: {3}")
    @CsvSource(
            nullValues = "none",
            value = {
                "22:00, 07:30, 23:15, 2026-11-22T07:30",
                "22:00, 07:30, 02:00, 2026-11-21T07:30",
                "22:00, 07:30, 07:30, none",
                "22:00, 07:30, 21:59, none",
                "22:00, 07:30, 22:00, 2026-11-22T07:30",
                "13:00, 14:00, 13:30, 2026-11-21T14:00",
                "13:00, 14:00, 14:00, none",
                "13:00, 14:00, 12:59, none"
            })
    void quietHoursEndAtTheNextEndOfTheWindow(String start, String end, String at, String until) {
        ZonedDateTime now =
                LocalTime.parse(at).atDate(java.time.LocalDate.of(2026, 11, 21)).atZone(LISBON);

        assertThat(Deferral.quietUntil(new QuietHours(LocalTime.parse(start), LocalTime.parse(end)), now)
                        .map(ZonedDateTime::toLocalDateTime)
                        .map(Object::toString)
                        .orElse(null))
                .isEqualTo(until);
    }

    @Test
    void aScheduledTimeInThePastOrNowDoesNotHold() {
        assertThat(Deferral.hold(
                        Fixtures.scheduled(Fixtures.NOW), Fixtures.ana(), Fixtures.orderShipped(), Fixtures.NOW))
                .isEmpty();
        assertThat(Deferral.hold(
                        Fixtures.scheduled(Fixtures.NOW.minusSeconds(60)),
                        Fixtures.ana(),
                        Fixtures.orderShipped(),
                        Fixtures.NOW))
                .isEmpty();
        assertThat(Deferral.hold(
                        Fixtures.scheduled(Fixtures.NOW.plusMillis(1)),
                        Fixtures.ana(),
                        Fixtures.orderShipped(),
                        Fixtures.NOW))
                .hasValueSatisfying(hold -> assertThat(hold.reason()).isEqualTo(Deferral.Reason.SCHEDULED));
    }

    @Test
    void criticalTemplatesAndHighPriorityIgnoreQuietHoursButAnUnknownTimeZoneMeansUtc() {
        Template shipped = Fixtures.orderShipped();
        Template critical = new Template(
                shipped.id(),
                shipped.version(),
                shipped.name(),
                shipped.category(),
                true,
                shipped.defaultLocale(),
                shipped.locales(),
                shipped.publishedAt());
        NotificationRequest high = Fixtures.request("ana", "order-shipped", Priority.HIGH, List.of());

        assertThat(Deferral.hold(Fixtures.request("ana", "order-shipped"), quietAna(), critical, Fixtures.NOW))
                .isEmpty();
        assertThat(Deferral.hold(high, quietAna(), shipped, Fixtures.NOW)).isEmpty();
        assertThat(Deferral.hold(Fixtures.request("ana", "order-shipped"), quietAna(), shipped, Fixtures.NOW))
                .hasValueSatisfying(hold -> assertThat(hold.until()).isEqualTo(Instant.parse("2026-11-21T10:30:00Z")));

        UserProfile nowhere = quietAna();
        nowhere = new UserProfile(
                nowhere.id(),
                nowhere.email(),
                nowhere.emailStatus(),
                nowhere.locale(),
                "Mars/Olympus",
                nowhere.devices(),
                nowhere.preferences(),
                nowhere.updatedAt(),
                nowhere.revision());
        // 10:00 UTC is outside 22:00-07:30 UTC
        assertThat(Deferral.hold(Fixtures.request("ana", "order-shipped"), nowhere, shipped, Fixtures.NOW))
                .isEmpty();
        UserProfile morningQuiet = Fixtures.withPreferences(
                nowhere,
                new UserProfile.Preferences(null, null, new QuietHours(LocalTime.of(9, 0), LocalTime.of(11, 0))));
        // said as UTC, not as its offset's id "Z"
        assertThat(Deferral.hold(Fixtures.request("ana", "order-shipped"), morningQuiet, shipped, Fixtures.NOW))
                .hasValueSatisfying(hold ->
                        assertThat(hold.description()).isEqualTo("the recipient's quiet hours (09:00–11:00 UTC)"));
    }

    private static UserProfile quietAna() {
        return Fixtures.withPreferences(
                Fixtures.ana(),
                new UserProfile.Preferences(null, null, new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 30))));
    }
}
