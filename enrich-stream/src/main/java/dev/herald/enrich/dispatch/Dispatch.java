package dev.herald.enrich.dispatch;

import dev.herald.enrich.scheduling.Deferred;
import dev.herald.schemas.EmailMessage;
import dev.herald.schemas.PushMessage;
import dev.herald.schemas.StatusEvent;
import java.util.List;

/**
 * What one notification request turns into: status events, and either the rendered messages for each
 * channel's delivery lane or the request held back for later.
 *
 * @param statusEvents events for {@code notifications.status}, in the order they happened
 * @param emails rendered emails (at most one)
 * @param pushes rendered push messages, one per device
 * @param deferred the request held back until its time, or {@code null}
 */
public record Dispatch(
        List<StatusEvent> statusEvents, List<EmailMessage> emails, List<PushMessage> pushes, Deferred deferred) {

    public Dispatch {
        statusEvents = List.copyOf(statusEvents);
        emails = List.copyOf(emails);
        pushes = List.copyOf(pushes);
    }

    /** Only status events: rejected, suppressed or failed on every channel. */
    static Dispatch events(List<StatusEvent> statusEvents) {
        return new Dispatch(statusEvents, List.of(), List.of(), null);
    }
}
