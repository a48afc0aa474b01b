package dev.herald.enrich.decision;

import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Priority;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.UserProfile.QuietHours;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Decides whether a notification waits: until its {@code scheduledAt}, or until the end of the recipient's
 * quiet hours in their time zone (UTC when they have none). Critical templates and {@code high} priority
 * requests ignore quiet hours; nothing ignores {@code scheduledAt}.
 */
public final class Deferral {

    private Deferral() {}

    /** Why and until when a notification waits. */
    public record Hold(Instant until, Reason reason, String description) {}

    /** What holds a notification back. */
    public enum Reason {
        SCHEDULED("scheduledAt"),
        QUIET_HOURS("quietHours");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** The hold on {@code request} at {@code now}, or empty when it may go now. */
    public static Optional<Hold> hold(
            NotificationRequest request, UserProfile recipient, Template template, Instant now) {
        if (request.scheduledAt() != null && request.scheduledAt().isAfter(now)) {
            return Optional.of(
                    new Hold(request.scheduledAt(), Reason.SCHEDULED, "scheduled for " + request.scheduledAt()));
        }
        QuietHours quiet = recipient.preferences().quietHours();
        if (quiet == null || template.critical() || request.priority() == Priority.HIGH) {
            return Optional.empty();
        }
        ZoneId zone = zone(recipient.timeZone());
        return quietUntil(quiet, now.atZone(zone))
                .map(end -> new Hold(
                        end.toInstant(),
                        Reason.QUIET_HOURS,
                        "the recipient's quiet hours (" + quiet.start() + "–" + quiet.end() + " "
                                + (zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId())
                                + ")"));
    }

    /** The end of the quiet window {@code now} falls in, or empty when it falls in none. */
    static Optional<ZonedDateTime> quietUntil(QuietHours quiet, ZonedDateTime now) {
        LocalTime start = quiet.start();
        LocalTime end = quiet.end();
        LocalTime time = now.toLocalTime();
        boolean inside = start.isBefore(end)
                ? !time.isBefore(start) && time.isBefore(end)
                : !time.isBefore(start) || time.isBefore(end);
        if (!inside) {
            return Optional.empty();
        }
        ZonedDateTime until = now.with(end).withSecond(0).withNano(0);
        // a window across midnight that started yesterday ends today; one that started today ends tomorrow
        return Optional.of(
                until.isAfter(now)
                        ? until
                        : now.toLocalDate().plusDays(1).atTime(end).atZone(now.getZone()));
    }

    private static ZoneId zone(String timeZone) {
        if (timeZone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
