package dev.herald.schemas.kafka;

/**
 * Topic names as compile-time constants, for annotations such as {@code @KafkaListener}. Code that is not
 * an annotation uses {@link Topics}, which pairs each name with its serdes.
 */
public final class TopicNames {

    public static final String NOTIFICATIONS_REQUESTED = "notifications.requested";
    public static final String USERS = "users";
    public static final String TEMPLATES = "templates";
    public static final String NOTIFICATIONS_STATUS = "notifications.status";
    public static final String NOTIFICATIONS_CANCELLATIONS = "notifications.cancellations";
    public static final String NOTIFICATIONS_DLQ = "notifications.dlq";
    public static final String DEVICES_INVALID = "devices.invalid";
    public static final String EMAILS_FEEDBACK = "emails.feedback";

    public static final String DELIVERIES_EMAIL_HIGH = "deliveries.email.high";
    public static final String DELIVERIES_EMAIL_NORMAL = "deliveries.email.normal";
    public static final String DELIVERIES_EMAIL_LOW = "deliveries.email.low";
    public static final String DELIVERIES_PUSH_HIGH = "deliveries.push.high";
    public static final String DELIVERIES_PUSH_NORMAL = "deliveries.push.normal";
    public static final String DELIVERIES_PUSH_LOW = "deliveries.push.low";

    /** Suffix of the dead-letter topic of a sink's input topic. */
    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    private TopicNames() {}
}
