package dev.herald.schemas.kafka;

import dev.herald.schemas.Cancellation;
import dev.herald.schemas.EmailFeedback;
import dev.herald.schemas.EmailMessage;
import dev.herald.schemas.InvalidDevice;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Priority;
import dev.herald.schemas.PushMessage;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The catalogue of Herald's topics: every topic name, its serdes and its retention are defined here and
 * nowhere else.
 */
public final class Topics {

    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration MONTH = Duration.ofDays(30);
    private static final Serde<String> KEYS = Serdes.String();

    public static final Topic<String, NotificationRequest> REQUESTS = new Topic<>(
            TopicNames.NOTIFICATIONS_REQUESTED,
            KEYS,
            serde(NotificationRequest.class, "notification-request.schema.json"),
            Topic.deleteAfter(WEEK));

    public static final Topic<String, UserProfile> USERS = new Topic<>(
            TopicNames.USERS, KEYS, serde(UserProfile.class, "user-profile.schema.json"), Topic.compacted());

    public static final Topic<String, Template> TEMPLATES =
            new Topic<>(TopicNames.TEMPLATES, KEYS, serde(Template.class, "template.schema.json"), Topic.compacted());

    /** Keyed by notification id. */
    public static final Topic<String, StatusEvent> STATUS = new Topic<>(
            TopicNames.NOTIFICATIONS_STATUS,
            KEYS,
            serde(StatusEvent.class, "status-event.schema.json"),
            Topic.deleteAfter(WEEK));

    /**
     * Keyed by notification id, like {@link #STATUS}: enrich-stream reads both in the same tasks, so the two
     * must keep the same partition count.
     */
    public static final Topic<String, Cancellation> CANCELLATIONS = new Topic<>(
            TopicNames.NOTIFICATIONS_CANCELLATIONS,
            KEYS,
            serde(Cancellation.class, "cancellation.schema.json"),
            Topic.deleteAfter(WEEK));

    /** Records enrich-stream could not read, as they were read, with headers saying why. */
    public static final Topic<byte[], byte[]> NOTIFICATIONS_DLQ =
            new Topic<>(TopicNames.NOTIFICATIONS_DLQ, Serdes.ByteArray(), Serdes.ByteArray(), Topic.deleteAfter(MONTH));

    public static final Topic<String, InvalidDevice> INVALID_DEVICES = new Topic<>(
            TopicNames.DEVICES_INVALID,
            KEYS,
            serde(InvalidDevice.class, "invalid-device.schema.json"),
            Topic.deleteAfter(WEEK));

    public static final Topic<String, EmailFeedback> EMAIL_FEEDBACK = new Topic<>(
            TopicNames.EMAILS_FEEDBACK,
            KEYS,
            serde(EmailFeedback.class, "email-feedback.schema.json"),
            Topic.deleteAfter(WEEK));

    private static final JsonSchemaSerde<EmailMessage> EMAIL_MESSAGES =
            serde(EmailMessage.class, "email-message.schema.json");
    private static final JsonSchemaSerde<PushMessage> PUSH_MESSAGES =
            serde(PushMessage.class, "push-message.schema.json");

    private static final Map<Priority, Topic<String, EmailMessage>> EMAIL_LANES = lanes(
            Map.of(
                    Priority.HIGH, TopicNames.DELIVERIES_EMAIL_HIGH,
                    Priority.NORMAL, TopicNames.DELIVERIES_EMAIL_NORMAL,
                    Priority.LOW, TopicNames.DELIVERIES_EMAIL_LOW),
            EMAIL_MESSAGES);

    private static final Map<Priority, Topic<String, PushMessage>> PUSH_LANES = lanes(
            Map.of(
                    Priority.HIGH, TopicNames.DELIVERIES_PUSH_HIGH,
                    Priority.NORMAL, TopicNames.DELIVERIES_PUSH_NORMAL,
                    Priority.LOW, TopicNames.DELIVERIES_PUSH_LOW),
            PUSH_MESSAGES);

    private Topics() {}

    /** The email delivery lane for {@code priority}, keyed by user id. */
    public static Topic<String, EmailMessage> emailDeliveries(Priority priority) {
        return EMAIL_LANES.get(priority);
    }

    /** The push delivery lane for {@code priority}, keyed by user id. */
    public static Topic<String, PushMessage> pushDeliveries(Priority priority) {
        return PUSH_LANES.get(priority);
    }

    /**
     * The dead-letter topic of a sink's input {@code topic}: same key and value as read, plus headers saying
     * why.
     */
    public static Topic<byte[], byte[]> deadLetters(Topic<?, ?> topic) {
        return new Topic<>(
                topic.name() + TopicNames.DEAD_LETTER_SUFFIX,
                Serdes.ByteArray(),
                Serdes.ByteArray(),
                Topic.deleteAfter(MONTH));
    }

    /**
     * Every topic of the catalogue, including the dead-letter topics of the delivery lanes and of the feedback
     * topics user-api consumes.
     */
    public static List<Topic<?, ?>> all() {
        Stream<Topic<?, ?>> lanes = Stream.concat(EMAIL_LANES.values().stream(), PUSH_LANES.values().stream());
        Stream<Topic<?, ?>> laneDeadLetters = Stream.concat(
                        Stream.concat(EMAIL_LANES.values().stream(), PUSH_LANES.values().stream()),
                        Stream.of(INVALID_DEVICES, EMAIL_FEEDBACK))
                .map(Topics::deadLetters);
        return Stream.of(
                        Stream.<Topic<?, ?>>of(
                                REQUESTS,
                                USERS,
                                TEMPLATES,
                                STATUS,
                                CANCELLATIONS,
                                NOTIFICATIONS_DLQ,
                                INVALID_DEVICES,
                                EMAIL_FEEDBACK),
                        lanes,
                        laneDeadLetters)
                .flatMap(s -> s)
                .toList();
    }

    private static <T> JsonSchemaSerde<T> serde(Class<T> type, String schemaFile) {
        return new JsonSchemaSerde<>(type, JsonSchema.load(schemaFile));
    }

    private static <V> Map<Priority, Topic<String, V>> lanes(
            Map<Priority, String> names, JsonSchemaSerde<V> valueSerde) {
        Map<Priority, Topic<String, V>> lanes = new EnumMap<>(Priority.class);
        names.forEach(
                (priority, name) -> lanes.put(priority, new Topic<>(name, KEYS, valueSerde, Topic.deleteAfter(WEEK))));
        return java.util.Collections.unmodifiableMap(lanes);
    }
}
