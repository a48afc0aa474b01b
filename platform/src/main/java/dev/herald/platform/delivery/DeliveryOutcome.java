package dev.herald.platform.delivery;

/** What happened when a sink handed a message to its provider (SMTP server, FCM). */
public sealed interface DeliveryOutcome {

    /**
     * The provider accepted the message.
     *
     * @param providerMessageId the provider's id for it, e.g. the SMTP Message-ID or FCM message name
     */
    record Sent(String providerMessageId) implements DeliveryOutcome {}

    /**
     * A failure that may pass: the provider is down, busy or timed out. The message is tried again.
     *
     * @param reason what went wrong
     * @param cause the underlying error
     */
    record Retryable(String reason, Throwable cause) implements DeliveryOutcome {}

    /**
     * A failure that will not pass: a rejected address, an unregistered device. No retry.
     *
     * @param reason what went wrong
     */
    record Permanent(String reason) implements DeliveryOutcome {}
}
