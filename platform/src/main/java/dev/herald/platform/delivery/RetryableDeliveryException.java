package dev.herald.platform.delivery;

/** Thrown for a {@link DeliveryOutcome.Retryable} outcome, so the listener container tries the record again. */
public class RetryableDeliveryException extends RuntimeException {

    public RetryableDeliveryException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
