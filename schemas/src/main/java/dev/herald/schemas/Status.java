package dev.herald.schemas;

/** A step in the life of a notification, as carried by {@link StatusEvent}. */
public enum Status {
    /** Herald took the request in. */
    ACCEPTED,
    /** The request cannot be served: unknown user or template, invalid content. */
    REJECTED,
    /** No channel is left after preferences, contact points and the template's content. */
    SUPPRESSED,
    /** Held until its scheduled time or the end of the recipient's quiet hours. */
    SCHEDULED,
    /** Cancelled by the client before it was dispatched. */
    CANCELLED,
    /** Rendered and handed to a channel's sink. */
    DISPATCHED,
    /** Accepted by the channel's provider (SMTP server, FCM). */
    SENT,
    /** Confirmed delivered to the recipient by the provider. */
    DELIVERED,
    /** A transient failure; another attempt is scheduled. */
    RETRYING,
    /** A permanent failure or exhausted retries. */
    FAILED,
    /** Parked on a dead-letter topic for an operator. */
    DEAD_LETTERED,
    /** The recipient's mail server bounced the message. */
    BOUNCED;

    /** Whether nothing further will happen on the channel (or notification) after this status. */
    public boolean isTerminal() {
        return switch (this) {
            case REJECTED, SUPPRESSED, CANCELLED, SENT, DELIVERED, FAILED, DEAD_LETTERED, BOUNCED -> true;
            case ACCEPTED, SCHEDULED, DISPATCHED, RETRYING -> false;
        };
    }
}
