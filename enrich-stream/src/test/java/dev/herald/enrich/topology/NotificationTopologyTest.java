package dev.herald.enrich.topology;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.herald.enrich.Fixtures;
import dev.herald.enrich.MutableClock;
import dev.herald.enrich.dispatch.Dispatcher;
import dev.herald.enrich.scheduling.Scheduler;
import dev.herald.enrich.status.NotificationView;
import dev.herald.schemas.Cancellation;
import dev.herald.schemas.Channel;
import dev.herald.schemas.EmailMessage;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Priority;
import dev.herald.schemas.PushMessage;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.Topic;
import dev.herald.schemas.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotificationTopologyTest {

    private TopologyTestDriver driver;
    private TestInputTopic<String, NotificationRequest> requests;
    private TestInputTopic<String, UserProfile> users;
    private TestInputTopic<String, Template> templates;
    private TestInputTopic<String, StatusEvent> statusIn;
    private TestOutputTopic<String, StatusEvent> status;
    private TestInputTopic<String, Cancellation> cancellations;
    private final MutableClock clock = new MutableClock(Fixtures.NOW);

    @BeforeEach
    void startDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        EnrichProperties settings = EnrichProperties.defaults();
        NotificationTopology.build(builder, new Dispatcher(clock, settings.maxScheduleAhead()), settings, 3);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "enrich-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProcessingHandler.class);
        config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.NOTIFICATIONS_DLQ.name());
        driver = new TopologyTestDriver(builder.build(), config, Fixtures.NOW);
        requests = input(Topics.REQUESTS);
        users = input(Topics.USERS);
        templates = input(Topics.TEMPLATES);
        statusIn = input(Topics.STATUS);
        status = output(Topics.STATUS);
        cancellations = input(Topics.CANCELLATIONS);
        users.pipeInput("ana", Fixtures.ana());
        templates.pipeInput("order-shipped", Fixtures.orderShipped());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aRequestBecomesARenderedEmailAndOnePushPerDeviceOnTheNormalLanes() {
        NotificationRequest request = Fixtures.request("ana", "order-shipped");
        requests.pipeInput("ana", request);

        List<TestRecord<String, EmailMessage>> emails =
                output(Topics.emailDeliveries(Priority.NORMAL)).readRecordsToList();
        assertThat(emails).hasSize(1);
        assertThat(emails.getFirst().key()).isEqualTo("ana");
        EmailMessage email = emails.getFirst().value();
        assertThat(email.notificationId()).isEqualTo(request.id());
        assertThat(email.to()).isEqualTo("ana@example.com");
        assertThat(email.locale()).isEqualTo("pt");
        assertThat(email.subject()).isEqualTo("Pedido A-17 enviado");
        assertThat(email.html()).isEqualTo("<p>Olá Ana &lt;3</p>");
        assertThat(email.templateVersion()).isEqualTo(4);
        assertThat(email.category()).isEqualTo("orders");

        List<PushMessage> pushes =
                output(Topics.pushDeliveries(Priority.NORMAL)).readValuesToList();
        assertThat(pushes).extracting(PushMessage::token).containsExactly("phone-token", "tablet-token");
        assertThat(pushes).allSatisfy(push -> {
            assertThat(push.title()).isEqualTo("Enviado");
            assertThat(push.body()).isEqualTo("Pedido A-17");
        });

        List<TestRecord<String, StatusEvent>> events = status.readRecordsToList();
        assertThat(events)
                .allSatisfy(r -> assertThat(r.key()).isEqualTo(request.id().toString()));
        assertThat(events)
                .extracting(r -> r.value().status() + ":" + r.value().channel())
                .containsExactly("ACCEPTED:null", "DISPATCHED:EMAIL", "DISPATCHED:PUSH");
        assertThat(output(Topics.emailDeliveries(Priority.HIGH)).isEmpty()).isTrue();
    }

    @Test
    void priorityPicksTheLaneOfEachChannel() {
        requests.pipeInput("ana", Fixtures.request("ana", "order-shipped", Priority.HIGH, List.of()));

        assertThat(output(Topics.emailDeliveries(Priority.HIGH)).readValuesToList())
                .hasSize(1);
        assertThat(output(Topics.pushDeliveries(Priority.HIGH)).readValuesToList())
                .hasSize(2);
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
    }

    @Test
    void requestsAreRekeyedByRecipientWhateverKeyTheProducerUsed() {
        requests.pipeInput(
                "some-other-key", Fixtures.request("ana", "order-shipped", Priority.LOW, List.of(Channel.EMAIL)));

        assertThat(output(Topics.emailDeliveries(Priority.LOW)).readRecordsToList())
                .singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo("ana"));
    }

    @Test
    void anUnknownRecipientOrTemplateIsRejectedWithTheReason() {
        requests.pipeInput("nobody", Fixtures.request("nobody", "order-shipped"));
        requests.pipeInput("ana", Fixtures.request("ana", "no-such-template"));

        assertThat(status.readValuesToList())
                .filteredOn(e -> e.status() == Status.REJECTED)
                .extracting(StatusEvent::reason)
                .containsExactly("unknown user 'nobody'", "unknown template 'no-such-template'");
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
    }

    @Test
    void aChannelTurnedOffIsSuppressedWithTheReasonAndTheOtherStillGoes() {
        users.pipeInput(
                "ana",
                Fixtures.withPreferences(
                        Fixtures.ana(),
                        new UserProfile.Preferences(new UserProfile.ChannelSwitches(null, false), null, null)));
        requests.pipeInput("ana", Fixtures.request("ana", "order-shipped"));

        assertThat(output(Topics.pushDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .hasSize(1);
        assertThat(status.readValuesToList())
                .filteredOn(e -> e.channel() == Channel.PUSH)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(Status.SUPPRESSED);
                    // the global switch decided: orders has none (this said "for category orders")
                    assertThat(e.reason()).isEqualTo("the recipient turned push off");
                });
    }

    @Test
    void aDeletedRecipientIsUnknownFromThenOn() {
        users.pipeInput("ana", (UserProfile) null);
        requests.pipeInput("ana", Fixtures.request("ana", "order-shipped"));

        assertThat(status.readValuesToList()).extracting(StatusEvent::status).contains(Status.REJECTED);
    }

    @Test
    void dataThatBreaksTheTemplatesDataSchemaIsRejectedAndALayoutWrapsTheHtml() {
        Template shipped = Fixtures.orderShipped();
        Map<String, Object> schema = Map.of(
                "type", "object",
                "required", List.of("name", "order"),
                "properties",
                        Map.of(
                                "name", Map.of("type", "string"),
                                "order",
                                        Map.of(
                                                "type",
                                                "object",
                                                "required",
                                                List.of("number"),
                                                "properties",
                                                Map.of("number", Map.of("type", "string")))));
        templates.pipeInput(
                "strict",
                new Template(
                        "strict",
                        1,
                        "Strict",
                        null,
                        false,
                        "en",
                        shipped.locales(),
                        Fixtures.NOW,
                        new Template.Layout("brand", "<main>{{{content}}}</main>"),
                        schema));

        NotificationRequest good = Fixtures.request("ana", "strict");
        requests.pipeInput("ana", good);
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .singleElement()
                .satisfies(email -> assertThat(email.html()).isEqualTo("<main><p>Olá Ana &lt;3</p></main>"));
        status.readValuesToList();

        NotificationRequest bad = new NotificationRequest(
                java.util.UUID.randomUUID(),
                "ana",
                "strict",
                Map.of("name", "Ana", "order", Map.of("number", 17)),
                List.of(),
                null,
                Priority.NORMAL,
                null,
                null,
                null,
                null);
        requests.pipeInput("ana", bad);
        assertThat(status.readValuesToList())
                .filteredOn(e -> e.status() == Status.REJECTED)
                .singleElement()
                .satisfies(e -> assertThat(e.reason())
                        .startsWith("the data does not match the template's data schema")
                        .contains("$.order.number"));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
    }

    @Test
    void aTemplateWhoseDataSchemaCannotBeUsedRejectsTheNotificationWithAStatus() {
        Template shipped = Fixtures.orderShipped();
        // template-api refuses such a schema now; one stored before, or written to the topic directly, reached the
        // dead-letter topic with no status at all
        templates.pipeInput(
                "dangling",
                new Template(
                        "dangling",
                        1,
                        "Dangling",
                        null,
                        false,
                        "en",
                        shipped.locales(),
                        Fixtures.NOW,
                        null,
                        Map.of("type", "object", "properties", Map.of("order", Map.of("$ref", "#/$defs/Missing")))));
        NotificationRequest request = Fixtures.request("ana", "dangling");
        requests.pipeInput("ana", request);

        assertThat(status.readValuesToList())
                .extracting(e -> e.status() + ":" + e.reason())
                .containsExactly(
                        "ACCEPTED:null",
                        "REJECTED:the template's data schema cannot be used: it has a reference that cannot be"
                                + " resolved: Reference /$defs/Missing cannot be resolved");
        assertThat(view(request).status()).isEqualTo(Status.REJECTED);
        assertThat(output(Topics.NOTIFICATIONS_DLQ).isEmpty()).isTrue();
    }

    @Test
    void aTemplateThatCannotRenderFailsThatChannelOnly() {
        Template broken = Fixtures.orderShipped();
        Template.Content en = broken.locales().get("en");
        templates.pipeInput(
                "broken",
                new Template(
                        "broken",
                        1,
                        "Broken",
                        null,
                        false,
                        "en",
                        Map.of(
                                "en",
                                new Template.Content(
                                        new Template.EmailContent("Hi {{missing}}", null, "x"), en.push())),
                        Fixtures.NOW));
        requests.pipeInput("ana", Fixtures.request("ana", "broken"));

        assertThat(status.readValuesToList())
                .filteredOn(e -> e.channel() != null)
                .extracting(e -> e.channel() + ":" + e.status())
                .containsExactly("EMAIL:FAILED", "PUSH:DISPATCHED");
        assertThat(output(Topics.pushDeliveries(Priority.NORMAL)).readValuesToList())
                .hasSize(2);
    }

    @Test
    void renderedMessagesTheSinksWouldRefuseFailTheirChannelInsteadOfBeingSent() {
        templates.pipeInput(
                "fragile",
                new Template(
                        "fragile",
                        1,
                        "Fragile",
                        null,
                        false,
                        "en",
                        Map.of(
                                "en",
                                new Template.Content(
                                        new Template.EmailContent("Big", null, "{{body}}"),
                                        new Template.PushContent("{{title}}", "body", null, null))),
                        Fixtures.NOW));
        requests.pipeInput(
                "ana", fragile(Map.of("title", "", "body", "x".repeat(Dispatcher.MAX_MESSAGE_BYTES)), List.of()));

        List<StatusEvent> channels = status.readValuesToList().stream()
                .filter(e -> e.channel() != null)
                .toList();
        assertThat(channels)
                .extracting(StatusEvent::channel, StatusEvent::status)
                .containsExactly(tuple(Channel.EMAIL, Status.FAILED), tuple(Channel.PUSH, Status.FAILED));
        assertThat(channels.get(0).reason()).matches("the rendered message is \\d+ bytes; at most 921600 can be sent");
        assertThat(channels.get(1).reason()).startsWith("the rendered message is not valid: $.title");
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
        assertThat(output(Topics.pushDeliveries(Priority.NORMAL)).isEmpty()).isTrue();

        // the NUL character, which HTTP refuses as it reads it but a direct producer can send: SMTP cannot carry it
        requests.pipeInput("ana", fragile(Map.of("title", "t", "body", "a\u0000b"), List.of(Channel.EMAIL)));
        assertThat(status.readValuesToList())
                .filteredOn(e -> e.channel() == Channel.EMAIL)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(Status.FAILED);
                    assertThat(e.reason()).startsWith("the rendered message is not valid: $.text");
                });
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
    }

    @Test
    void anUnreadableRequestGoesToTheDeadLetterTopicWithTheReasonAndTheNextOneIsServed() {
        TestInputTopic<String, byte[]> raw =
                driver.createInputTopic(Topics.REQUESTS.name(), new StringSerializer(), new ByteArraySerializer());
        raw.pipeInput("ana", "{\"userId\":\"ana\"}".getBytes(StandardCharsets.UTF_8));
        raw.pipeInput("ana", (byte[]) null);
        requests.pipeInput("ana", Fixtures.request("ana", "order-shipped"));

        List<TestRecord<byte[], byte[]>> dead = output(Topics.NOTIFICATIONS_DLQ).readRecordsToList();
        assertThat(dead)
                .satisfiesExactly(
                        record -> {
                            assertThat(new String(record.value(), StandardCharsets.UTF_8))
                                    .isEqualTo("{\"userId\":\"ana\"}");
                            assertThat(header(record, "__streams.errors.exception"))
                                    .contains("InvalidRecordException");
                            assertThat(header(record, "__streams.errors.message"))
                                    .contains("required property 'id' not found");
                            assertThat(header(record, "__streams.errors.topic")).isEqualTo(Topics.REQUESTS.name());
                        },
                        // a tombstone says what it is, not NullPointerException
                        tombstone -> {
                            assertThat(tombstone.value()).isNull();
                            assertThat(header(tombstone, "__streams.errors.message"))
                                    .contains("tombstone");
                        });
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .hasSize(1);
    }

    @Test
    void aRequestTheTopologyFailsOnIsDeadLetteredWithAStatusSayingWhyAndTheNextOneIsServed() {
        NotificationRequest failed =
                Fixtures.withMetadata(Fixtures.request("ana", "order-shipped"), Map.of("campaign", "autumn"));
        clock.failWith(new IllegalStateException("the clock broke"));
        requests.pipeInput("ana", failed);
        clock.failWith(null);
        NotificationRequest next = Fixtures.request("ana", "order-shipped");
        requests.pipeInput("ana", next);

        assertThat(output(Topics.NOTIFICATIONS_DLQ).readRecordsToList())
                .singleElement()
                .satisfies(dead -> {
                    assertThat(new String(dead.value(), StandardCharsets.UTF_8))
                            .contains(failed.id().toString());
                    assertThat(header(dead, "__streams.errors.message")).isEqualTo("the clock broke");
                });
        assertThat(status.readValuesToList())
                .filteredOn(e -> e.notificationId().equals(failed.id()))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.status()).isEqualTo(Status.DEAD_LETTERED);
                    assertThat(event.channel()).isNull();
                    assertThat(event.reason())
                            .isEqualTo("enrich-stream failed on it (java.lang.IllegalStateException: the clock broke);"
                                    + " the request is kept on notifications.dlq");
                    assertThat(event.details()).containsEntry("deadLetterTopic", "notifications.dlq");
                });
        NotificationView view = view(failed);
        assertThat(view.status()).isEqualTo(Status.DEAD_LETTERED);
        assertThat(view.metadata()).containsEntry("campaign", "autumn");
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .singleElement()
                .satisfies(email -> assertThat(email.notificationId()).isEqualTo(next.id()));
    }

    @Test
    void statusEventsFromEveryStageAreFoldedIntoTheQueryableStore() {
        NotificationRequest request =
                Fixtures.withMetadata(Fixtures.request("ana", "order-shipped"), Map.of("campaign", "autumn"));
        requests.pipeInput("ana", request);
        statusIn.pipeInput(
                request.id().toString(),
                new StatusEvent(
                        request.id(),
                        "ana",
                        Status.SENT,
                        Channel.EMAIL,
                        null,
                        "email-sink",
                        Fixtures.NOW.plusSeconds(1),
                        null));

        KeyValueStore<String, NotificationView> store = driver.getKeyValueStore(NotificationTopology.STATUS_STORE);
        NotificationView view = store.get(request.id().toString());
        assertThat(view.userId()).isEqualTo("ana");
        assertThat(view.channels().get("email").status()).isEqualTo(Status.SENT);
        assertThat(view.channels().get("push").status()).isEqualTo(Status.DISPATCHED);
        assertThat(view.status()).isEqualTo(Status.DISPATCHED);
        assertThat(view.history())
                .extracting(StatusEvent::status)
                .containsExactly(Status.ACCEPTED, Status.DISPATCHED, Status.DISPATCHED, Status.SENT);
        // the client's metadata comes back with the status, once
        assertThat(view.metadata()).isEqualTo(Map.of("campaign", "autumn"));
        assertThat(view.history())
                .allSatisfy(event -> assertThat(event.metadata()).isEmpty());
    }

    @Test
    void aRequestScheduledForLaterIsHeldThenDeliveredWithTheRecipientsPreferencesAtThatTime() {
        NotificationRequest request = Fixtures.scheduled(Fixtures.NOW.plus(Duration.ofMinutes(10)));
        requests.pipeInput("ana", request);

        assertThat(status.readValuesToList())
                .satisfiesExactly(accepted -> assertThat(accepted.status()).isEqualTo(Status.ACCEPTED), held -> {
                    assertThat(held.status()).isEqualTo(Status.SCHEDULED);
                    assertThat(held.reason()).isEqualTo("scheduled for 2026-11-21T10:10:00Z");
                    assertThat(held.details())
                            .containsEntry("until", "2026-11-21T10:10:00Z")
                            .containsEntry("heldBy", "scheduledAt");
                });
        users.pipeInput(
                "ana",
                Fixtures.withPreferences(
                        Fixtures.ana(),
                        new UserProfile.Preferences(new UserProfile.ChannelSwitches(null, false), null, null)));
        advance(Duration.ofMinutes(9));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
        assertThat(status.isEmpty()).isTrue();

        advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .singleElement()
                .satisfies(email -> assertThat(email.notificationId()).isEqualTo(request.id()));
        assertThat(output(Topics.pushDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
        assertThat(status.readValuesToList())
                .extracting(e -> e.status() + ":" + e.channel())
                .containsExactly("DISPATCHED:EMAIL", "SUPPRESSED:PUSH");
        assertThat(view(request).status()).isEqualTo(Status.DISPATCHED);

        advance(Duration.ofHours(1));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
    }

    @Test
    void aRequestScheduledFurtherAheadThanTheBoundIsRejectedNotHeld() {
        Duration bound = EnrichProperties.defaults().maxScheduleAhead();
        NotificationRequest tooFar = Fixtures.scheduled(Fixtures.NOW.plus(bound).plus(Duration.ofMinutes(6)));
        NotificationRequest farButWithinTheClocksSkew =
                Fixtures.scheduled(Fixtures.NOW.plus(bound).plus(Duration.ofMinutes(4)));
        requests.pipeInput("ana", tooFar);
        requests.pipeInput("ana", farButWithinTheClocksSkew);

        assertThat(status.readValuesToList())
                .extracting(e -> e.notificationId().equals(tooFar.id()) + ":" + e.status() + ":" + e.reason())
                .containsExactly(
                        "true:ACCEPTED:null",
                        "true:REJECTED:scheduledAt 2026-12-21T10:06:00Z is more than 30 days ahead"
                                + " (herald.enrich.max-schedule-ahead)",
                        "false:ACCEPTED:null",
                        "false:SCHEDULED:scheduled for 2026-12-21T10:04:00Z");
        assertThat(view(tooFar).status()).isEqualTo(Status.REJECTED);

        advance(bound.plus(Duration.ofMinutes(10)));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .extracting(EmailMessage::notificationId)
                .containsExactly(farButWithinTheClocksSkew.id());
    }

    @Test
    void quietHoursHoldANormalNotificationUntilTheyEndInTheRecipientsTimeZoneButNotAnUrgentOne() {
        // 10:00Z is 07:00 in São Paulo, inside 22:00-07:30
        giveAnaQuietHours();
        NotificationRequest normal = Fixtures.request("ana", "order-shipped");
        requests.pipeInput("ana", normal);
        requests.pipeInput("ana", Fixtures.request("ana", "order-shipped", Priority.HIGH, List.of(Channel.EMAIL)));

        assertThat(output(Topics.emailDeliveries(Priority.HIGH)).readValuesToList())
                .hasSize(1);
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
        assertThat(status.readValuesToList())
                .filteredOn(e -> e.status() == Status.SCHEDULED)
                .singleElement()
                .satisfies(held -> {
                    assertThat(held.notificationId()).isEqualTo(normal.id());
                    assertThat(held.details())
                            .containsEntry("until", "2026-11-21T10:30:00Z")
                            .containsEntry("heldBy", "quietHours");
                    assertThat(held.reason()).isEqualTo("the recipient's quiet hours (22:00–07:30 America/Sao_Paulo)");
                });

        advance(Duration.ofMinutes(30).plusSeconds(1));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .hasSize(1);
        assertThat(output(Topics.pushDeliveries(Priority.NORMAL)).readValuesToList())
                .hasSize(2);
    }

    /** Held for 5 minutes by its schedule, or until 10:30Z by the recipient's quiet hours. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aCancelledNotificationIsNeverDeliveredAndItsStatusSaysCancelled(boolean heldForQuietHours) {
        NotificationRequest request;
        if (heldForQuietHours) {
            giveAnaQuietHours();
            request = Fixtures.request("ana", "order-shipped");
        } else {
            request = Fixtures.scheduled(Fixtures.NOW.plus(Duration.ofMinutes(5)));
        }
        requests.pipeInput("ana", request);
        cancellations.pipeInput(
                request.id().toString(), new Cancellation(request.id(), "shop", Fixtures.NOW.plusSeconds(5)));

        assertThat(status.readValuesToList())
                .extracting(StatusEvent::status)
                .containsExactly(Status.ACCEPTED, Status.SCHEDULED, Status.CANCELLED);
        // past either hold's end: nothing is released
        advance(Duration.ofHours(1));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
        assertThat(output(Topics.pushDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
        NotificationView view = view(request);
        assertThat(view.status()).isEqualTo(Status.CANCELLED);
        assertThat(view.reason()).isEqualTo("cancelled by shop before it was due");
    }

    @Test
    void aCancellationThatArrivesBeforeItsNotificationIsHeldStillCancelsIt() {
        NotificationRequest request = Fixtures.scheduled(Fixtures.NOW.plus(Duration.ofMinutes(5)));
        cancellations.pipeInput(request.id().toString(), new Cancellation(request.id(), null, Fixtures.NOW));
        advance(Duration.ofMinutes(1));
        requests.pipeInput("ana", request);

        assertThat(status.readValuesToList())
                .extracting(StatusEvent::status)
                .containsExactly(Status.ACCEPTED, Status.SCHEDULED, Status.CANCELLED);
        advance(Duration.ofMinutes(10));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
    }

    @Test
    void aCancellationComesTooLateForANotificationAlreadyDispatchedAndIsForgottenAfterAWhile() {
        NotificationRequest request = Fixtures.request("ana", "order-shipped");
        requests.pipeInput("ana", request);
        cancellations.pipeInput(request.id().toString(), new Cancellation(request.id(), null, Fixtures.NOW));

        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .hasSize(1);
        assertThat(status.readValuesToList()).extracting(StatusEvent::status).doesNotContain(Status.CANCELLED);
        KeyValueStore<String, Scheduler.Held> held = driver.getKeyValueStore(Scheduler.HELD_STORE);
        assertThat(held.get(request.id().toString())).isNotNull();

        advance(EnrichProperties.defaults().cancellationMemory().plusSeconds(1));
        assertThat(held.get(request.id().toString())).isNull();
    }

    @Test
    void aRequestWhoseIdWasAlreadySeenIsDroppedAsADuplicate() {
        NotificationRequest request = Fixtures.request("ana", "order-shipped");
        requests.pipeInput("ana", request);
        requests.pipeInput("ana", request);
        NotificationRequest later = Fixtures.scheduled(Fixtures.NOW.plus(Duration.ofMinutes(5)));
        requests.pipeInput("ana", later);
        requests.pipeInput("ana", later);

        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .hasSize(1);
        advance(Duration.ofMinutes(6));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .singleElement()
                .satisfies(email -> assertThat(email.notificationId()).isEqualTo(later.id()));
        assertThat(status.readValuesToList())
                .filteredOn(e -> e.status() == Status.ACCEPTED)
                .hasSize(2);
    }

    @Test
    void aReleasedRequestPassesOncePerHoldAndACopyOfAReleaseIsDropped() {
        TestOutputTopic<String, NotificationRequest> releases = output(Topics.REQUESTS);
        NotificationRequest request = Fixtures.scheduled(Fixtures.NOW.plus(Duration.ofMinutes(5)));
        requests.pipeInput("ana", request);
        // quiet hours begun after it was held: its release is held again, until 10:30Z
        giveAnaQuietHours();
        advance(Duration.ofMinutes(6));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();

        advance(Duration.ofMinutes(25));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .singleElement()
                .satisfies(email -> assertThat(email.notificationId()).isEqualTo(request.id()));
        List<TestRecord<String, NotificationRequest>> released = releases.readRecordsToList();
        assertThat(released)
                .extracting(r -> new String(
                        r.headers().lastHeader(Scheduler.RELEASED_HEADER).value(), UTF_8))
                .containsExactly("2026-11-21T10:05:00Z", "2026-11-21T10:30:00Z");

        // the topic replayed, or the record mirrored with its headers: a release it was already given
        TestRecord<String, NotificationRequest> copy = released.getLast();
        requests.pipeInput(new TestRecord<>(copy.key(), copy.value(), copy.headers(), clock.instant()));
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).isEmpty()).isTrue();
        assertThat(view(request).status()).isEqualTo(Status.DISPATCHED);
    }

    @Test
    void aReleaseIsNotHeldAgainByAClockThatLagsTheSchedulersHost() {
        NotificationRequest request = Fixtures.scheduled(Fixtures.NOW.plus(Duration.ofMinutes(5)));
        requests.pipeInput("ana", request);
        // the scheduler's wall clock passes 10:05Z; the dispatching host's still reads 10:04:59
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        driver.advanceWallClockTime(Duration.ofMinutes(6));

        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .singleElement()
                .satisfies(email -> assertThat(email.notificationId()).isEqualTo(request.id()));
        assertThat(status.readValuesToList())
                .extracting(StatusEvent::status)
                .containsExactly(Status.ACCEPTED, Status.SCHEDULED, Status.DISPATCHED, Status.DISPATCHED);
    }

    @Test
    void aReleaseMarkedTheOldWayPassesAsItAlwaysDid() {
        NotificationRequest request = Fixtures.request("ana", "order-shipped");
        requests.pipeInput("ana", request);
        assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                .hasSize(1);
        status.readValuesToList();

        // a release by a scheduler of the version before the header carried the time held until, and a header
        // with no value at all: neither says when, so neither is taken for a copy
        for (byte[] value : Arrays.asList(new byte[] {1}, null)) {
            TestRecord<String, NotificationRequest> release = new TestRecord<>("ana", request);
            release.headers().add(Scheduler.RELEASED_HEADER, value);
            requests.pipeInput(release);
            assertThat(output(Topics.emailDeliveries(Priority.NORMAL)).readValuesToList())
                    .hasSize(1);
            assertThat(status.readValuesToList())
                    .extracting(StatusEvent::status)
                    .doesNotContain(Status.ACCEPTED);
        }
    }

    /** A request to Ana with the {@code fragile} template. */
    private static NotificationRequest fragile(Map<String, Object> data, List<Channel> channels) {
        return new NotificationRequest(
                UUID.randomUUID(),
                "ana",
                "fragile",
                data,
                channels,
                null,
                Priority.NORMAL,
                null,
                null,
                null,
                Fixtures.NOW);
    }

    /** 22:00 to 07:30 in her São Paulo: 10:00Z, the test's start, is 07:00 there, and they end at 10:30Z. */
    private void giveAnaQuietHours() {
        users.pipeInput(
                "ana",
                Fixtures.withPreferences(
                        Fixtures.ana(),
                        new UserProfile.Preferences(
                                null, null, new UserProfile.QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 30)))));
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        driver.advanceWallClockTime(duration);
    }

    private NotificationView view(NotificationRequest request) {
        KeyValueStore<String, NotificationView> store = driver.getKeyValueStore(NotificationTopology.STATUS_STORE);
        return store.get(request.id().toString());
    }

    private static String header(TestRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private <K, V> TestInputTopic<K, V> input(Topic<K, V> topic) {
        return driver.createInputTopic(
                topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }
}
