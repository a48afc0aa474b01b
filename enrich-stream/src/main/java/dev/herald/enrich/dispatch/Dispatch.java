package dev.herald.enrich.dispatch;

import dev.herald.schemas.EmailMessage;
import dev.herald.schemas.PushMessage;
import dev.herald.schemas.StatusEvent;
import java.util.List;

/**
 * What one notification request turns into: status events, and the rendered messages for each channel's
 * delivery lane.
 *
 * @param statusEvents events for {@code notifications.status}, in the order they happened
 * @param emails rendered emails (at most one)
 * @param pushes rendered push messages, one per device
 */
public record Dispatch(List<StatusEvent> statusEvents, List<EmailMessage> emails, List<PushMessage> pushes) {

    public Dispatch {
        statusEvents = List.copyOf(statusEvents);
        emails = List.copyOf(emails);
        pushes = List.copyOf(pushes);
    }
}
