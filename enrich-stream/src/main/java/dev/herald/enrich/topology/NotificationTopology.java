package dev.herald.enrich.topology;

import dev.herald.enrich.dispatch.Dispatch;
import dev.herald.enrich.dispatch.Dispatcher;
import dev.herald.enrich.scheduling.Deferred;
import dev.herald.enrich.scheduling.Scheduler;
import dev.herald.enrich.status.NotificationView;
import dev.herald.enrich.topology.Deduplicator.Incoming;
import dev.herald.schemas.Priority;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.HeraldJson;
import dev.herald.schemas.kafka.Topic;
import dev.herald.schemas.kafka.Topics;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
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
import org.apache.kafka.streams.state.Stores;
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

    /**
     * Adds the topology to {@code builder}.
     *
     * @param partitions partitions of the two internal topics the scheduler reads: they must agree, as it
     *     reads both in the same tasks
     */
    public static void build(StreamsBuilder builder, Dispatcher dispatcher, EnrichProperties settings, int partitions) {
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
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(
                        Deduplicator.STORE, settings.dedupeWindow(), settings.dedupeWindow(), false),
                Serdes.String(),
                Serdes.Long()));

        KStream<String, Dispatch> dispatches = builder.stream(
                        Topics.REQUESTS.name(),
                        Consumed.with(Topics.REQUESTS.keySerde(), refusingTombstones(Topics.REQUESTS.valueSerde()))
                                .withName("requests-source"))
                .selectKey((key, request) -> request.userId(), Named.as("key-by-recipient"))
                .repartition(Repartitioned.with(Topics.REQUESTS.keySerde(), Topics.REQUESTS.valueSerde())
                        .withName("requests-by-recipient"))
                .processValues(
                        () -> new Deduplicator(settings.dedupeWindow()),
                        Named.as("drop-duplicates"),
                        Deduplicator.STORE)
                .leftJoin(
                        users,
                        Recipient::new,
                        Joined.with(Topics.REQUESTS.keySerde(), internal(Incoming.class), Topics.USERS.valueSerde())
                                .withName("join-recipient"))
                .leftJoin(
                        templates,
                        (userId, recipient) -> recipient.incoming().request().templateId(),
                        (recipient, template) -> dispatcher.dispatch(
                                recipient.incoming().request(),
                                recipient.profile(),
                                template,
                                recipient.incoming().heldUntil()),
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

        schedule(builder, dispatches, settings, partitions);

        builder.stream(Topics.STATUS.name(), consumed(Topics.STATUS, "status-source"))
                .groupByKey(Grouped.with(Topics.STATUS.keySerde(), Topics.STATUS.valueSerde())
                        .withName("status-by-notification"))
                .aggregate(
                        () -> null,
                        (notificationId, event, view) -> NotificationView.fold(view, event),
                        Named.as("fold-status"),
                        Materialized.<String, NotificationView, KeyValueStore<Bytes, byte[]>>as(STATUS_STORE)
                                .withKeySerde(Topics.STATUS.keySerde())
                                .withValueSerde(internal(NotificationView.class)));
    }

    /**
     * Held-back requests and cancellations meet in the {@link Scheduler}, keyed by notification id; a due
     * request goes back to {@code notifications.requested}, keyed by its recipient, to be joined with the
     * recipient's and the template's state at that time.
     */
    private static void schedule(
            StreamsBuilder builder, KStream<String, Dispatch> dispatches, EnrichProperties settings, int partitions) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Scheduler.HELD_STORE), Serdes.String(), internal(Scheduler.Held.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Scheduler.DUE_STORE), Serdes.String(), Serdes.String()));

        KStream<String, Scheduler.Input> deferred = dispatches
                .filter((userId, dispatch) -> dispatch.deferred() != null, Named.as("deferred"))
                .map(
                        (userId, dispatch) ->
                                KeyValue.pair(dispatch.deferred().request().id().toString(), dispatch.deferred()),
                        Named.as("key-deferred-by-notification"))
                .repartition(Repartitioned.with(Serdes.String(), internal(Deferred.class))
                        .withName("deferred-by-notification")
                        .withNumberOfPartitions(partitions))
                .mapValues(held -> new Scheduler.Input(held, null), Named.as("deferred-input"));
        KStream<String, Scheduler.Input> cancellations = builder.stream(
                        Topics.CANCELLATIONS.name(), consumed(Topics.CANCELLATIONS, "cancellations-source"))
                .selectKey(
                        (key, cancellation) -> cancellation.notificationId().toString(),
                        Named.as("key-cancellation-by-notification"))
                .repartition(Repartitioned.with(Topics.CANCELLATIONS.keySerde(), Topics.CANCELLATIONS.valueSerde())
                        .withName("cancellations-by-notification")
                        .withNumberOfPartitions(partitions))
                .mapValues(cancellation -> new Scheduler.Input(null, cancellation), Named.as("cancellation-input"));

        deferred.merge(cancellations, Named.as("scheduler-inputs"))
                .process(
                        () -> new Scheduler(settings.releaseInterval(), settings.cancellationMemory()),
                        Named.as("scheduler"),
                        Scheduler.HELD_STORE,
                        Scheduler.DUE_STORE)
                .split(Named.as("scheduler-"))
                .branch(
                        (key, output) -> output.event() != null,
                        Branched.withConsumer(
                                events -> events.mapValues(Scheduler.Output::event, Named.as("scheduler-event"))
                                        .to(Topics.STATUS.name(), produced(Topics.STATUS, "scheduler-status-sink")),
                                "events"))
                .defaultBranch(Branched.withConsumer(
                        released -> released.mapValues(Scheduler.Output::released, Named.as("scheduler-release"))
                                .to(Topics.REQUESTS.name(), produced(Topics.REQUESTS, "released-requests-sink")),
                        "released"));
    }

    /**
     * {@code values}, refusing a record without a value: on {@code notifications.requested} such a record (a
     * tombstone a direct producer wrote) is no request, and goes to the dead-letter topic saying so, where it went
     * with a {@code NullPointerException}.
     */
    static <V> Serde<V> refusingTombstones(Serde<V> values) {
        Deserializer<V> read = values.deserializer();
        return Serdes.serdeFrom(values.serializer(), (topic, payload) -> {
            if (payload == null) {
                throw new SerializationException(
                        "The record has no value (a tombstone): a notification request needs one.");
            }
            return read.deserialize(topic, payload);
        });
    }

    private static <K, V> Consumed<K, V> consumed(Topic<K, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /** Every lane of a channel has the same serdes, so any lane's {@code topic} describes them all. */
    private static <K, V> Produced<K, V> produced(Topic<K, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /** Internal state, not a wire contract: plain JSON without type headers. */
    static <T> Serde<T> internal(Class<T> type) {
        return new JacksonJsonSerde<>(type, HeraldJson.mapper()).noTypeInfo().ignoreTypeHeaders();
    }

    /** A request with its recipient's profile, {@code null} when the recipient is unknown. */
    record Recipient(Incoming incoming, UserProfile profile) {}
}
