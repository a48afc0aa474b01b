package dev.herald.enrich.topology;

import dev.herald.enrich.dispatch.Dispatch;
import dev.herald.enrich.dispatch.Dispatcher;
import dev.herald.enrich.status.NotificationView;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Priority;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.HeraldJson;
import dev.herald.schemas.kafka.Topic;
import dev.herald.schemas.kafka.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.springframework.kafka.support.serializer.JacksonJsonSerde;

/**
 * The enrich-stream topology, top to bottom as the data flows:
 *
 * <ol>
 *   <li>requests are re-keyed by recipient and repartitioned, whatever partitioner their producer used;
 *   <li>joined with the {@code users} table and the {@code templates} global table;
 *   <li>the {@link Dispatcher} decides, per channel, and renders;
 *   <li>status events go to {@code notifications.status}, messages to their channel's priority lane;
 *   <li>status events are folded, per notification, into the queryable {@value #STATUS_STORE} store.
 * </ol>
 *
 * Records that cannot be read go to {@code notifications.dlq} through Kafka Streams' dead-letter queue.
 */
public final class NotificationTopology {

    /** The interactive-query store of {@link NotificationView}s, keyed by notification id. */
    public static final String STATUS_STORE = "notification-status";

    static final String USERS_STORE = "users";
    static final String TEMPLATES_STORE = "templates";

    private NotificationTopology() {}

    /** Adds the topology to {@code builder}. */
    public static void build(StreamsBuilder builder, Dispatcher dispatcher) {
        KTable<String, UserProfile> users = builder.table(
                Topics.USERS.name(),
                consumed(Topics.USERS, "users-source"),
                Materialized.<String, UserProfile, KeyValueStore<Bytes, byte[]>>as(USERS_STORE)
                        .withKeySerde(Topics.USERS.keySerde())
                        .withValueSerde(Topics.USERS.valueSerde()));
        GlobalKTable<String, Template> templates = builder.globalTable(
                Topics.TEMPLATES.name(),
                consumed(Topics.TEMPLATES, "templates-source"),
                Materialized.<String, Template, KeyValueStore<Bytes, byte[]>>as(TEMPLATES_STORE)
                        .withKeySerde(Topics.TEMPLATES.keySerde())
                        .withValueSerde(Topics.TEMPLATES.valueSerde()));

        KStream<String, Dispatch> dispatches = builder.stream(
                        Topics.REQUESTS.name(), consumed(Topics.REQUESTS, "requests-source"))
                .selectKey((key, request) -> request.userId(), Named.as("key-by-recipient"))
                .repartition(Repartitioned.with(Topics.REQUESTS.keySerde(), Topics.REQUESTS.valueSerde())
                        .withName("requests-by-recipient"))
                .leftJoin(
                        users,
                        Recipient::new,
                        Joined.with(Topics.REQUESTS.keySerde(), Topics.REQUESTS.valueSerde(), Topics.USERS.valueSerde())
                                .withName("join-recipient"))
                .leftJoin(
                        templates,
                        (userId, recipient) -> recipient.request().templateId(),
                        (recipient, template) ->
                                dispatcher.dispatch(recipient.request(), recipient.profile(), template),
                        Named.as("join-template-and-dispatch"));

        dispatches
                .flatMapValues(Dispatch::statusEvents, Named.as("status-events"))
                .selectKey((userId, event) -> event.notificationId().toString(), Named.as("key-by-notification"))
                .to(Topics.STATUS.name(), produced(Topics.STATUS, "status-sink"));
        dispatches
                .flatMapValues(Dispatch::emails, Named.as("emails"))
                .to(
                        (userId, email, context) ->
                                Topics.emailDeliveries(email.priority()).name(),
                        produced(Topics.emailDeliveries(Priority.NORMAL), "email-lanes"));
        dispatches
                .flatMapValues(Dispatch::pushes, Named.as("pushes"))
                .to(
                        (userId, push, context) ->
                                Topics.pushDeliveries(push.priority()).name(),
                        produced(Topics.pushDeliveries(Priority.NORMAL), "push-lanes"));

        builder.stream(Topics.STATUS.name(), consumed(Topics.STATUS, "status-source"))
                .groupByKey(Grouped.with(Topics.STATUS.keySerde(), Topics.STATUS.valueSerde())
                        .withName("status-by-notification"))
                .aggregate(
                        () -> null,
                        (notificationId, event, view) -> NotificationView.fold(view, event),
                        Named.as("fold-status"),
                        Materialized.<String, NotificationView, KeyValueStore<Bytes, byte[]>>as(STATUS_STORE)
                                .withKeySerde(Topics.STATUS.keySerde())
                                .withValueSerde(viewSerde()));
    }

    private static <K, V> Consumed<K, V> consumed(Topic<K, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /** Every lane of a channel has the same serdes, so any lane's {@code topic} describes them all. */
    private static <K, V> Produced<K, V> produced(Topic<K, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /** Internal state, not a wire contract: plain JSON without type headers. */
    static Serde<NotificationView> viewSerde() {
        return new JacksonJsonSerde<>(NotificationView.class, HeraldJson.mapper())
                .noTypeInfo()
                .ignoreTypeHeaders();
    }

    /** A request with its recipient's profile, {@code null} when the recipient is unknown. */
    record Recipient(NotificationRequest request, UserProfile profile) {}
}
