package dev.herald.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.schemas.Priority;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

class JsonSchemaSerdeTest {

    static Stream<Arguments> everyRecordOfEveryTopic() {
        return Stream.of(
                Arguments.of(Topics.REQUESTS.valueSerde(), Samples.fullRequest()),
                Arguments.of(Topics.REQUESTS.valueSerde(), Samples.minimalRequest()),
                Arguments.of(Topics.USERS.valueSerde(), Samples.fullUser()),
                Arguments.of(Topics.USERS.valueSerde(), Samples.minimalUser()),
                Arguments.of(Topics.TEMPLATES.valueSerde(), Samples.fullTemplate()),
                Arguments.of(Topics.TEMPLATES.valueSerde(), Samples.minimalTemplate()),
                Arguments.of(Topics.emailDeliveries(Priority.HIGH).valueSerde(), Samples.email()),
                Arguments.of(Topics.pushDeliveries(Priority.LOW).valueSerde(), Samples.push()),
                Arguments.of(Topics.STATUS.valueSerde(), Samples.status()),
                Arguments.of(Topics.STATUS.valueSerde(), Samples.minimalStatus()),
                Arguments.of(Topics.INVALID_DEVICES.valueSerde(), Samples.invalidDevice()),
                Arguments.of(Topics.EMAIL_FEEDBACK.valueSerde(), Samples.feedback()),
                Arguments.of(Topics.CANCELLATIONS.valueSerde(), Samples.cancellation()),
                Arguments.of(Topics.CANCELLATIONS.valueSerde(), Samples.minimalCancellation()));
    }

    @ParameterizedTest
    @MethodSource("everyRecordOfEveryTopic")
    <T> void recordSerialisesToADocumentItsSchemaAcceptsAndReadsBackEqual(Serde<T> serde, T record) {
        JsonSchemaSerde<T> json = (JsonSchemaSerde<T>) serde;
        byte[] bytes = json.serialize(record);

        assertThat(json.schema().violations(HeraldJson.mapper().readTree(bytes)))
                .isEmpty();
        assertThat(json.deserialize(bytes)).isEqualTo(record);
    }

    @ParameterizedTest
    @MethodSource("everyRecordOfEveryTopic")
    <T> void everySchemaRejectsAMissingRequiredMemberAndAnUnknownOne(Serde<T> serde, T record) {
        JsonSchemaSerde<T> json = (JsonSchemaSerde<T>) serde;
        ObjectNode document = (ObjectNode) HeraldJson.mapper().readTree(json.serialize(record));
        String required = json.schema().required().getFirst();

        ObjectNode withoutRequired = document.deepCopy();
        withoutRequired.remove(required);
        assertThatThrownBy(() -> json.deserialize(HeraldJson.mapper().writeValueAsBytes(withoutRequired)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("required property '" + required + "' not found");

        ObjectNode withUnknown = document.deepCopy();
        withUnknown.put("surprise", true);
        assertThatThrownBy(() -> json.deserialize(HeraldJson.mapper().writeValueAsBytes(withUnknown)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("surprise");
    }

    @Test
    void instantsAndTimesAreWrittenAsIsoStrings() {
        String json = new String(
                ((JsonSchemaSerde<?>) Topics.USERS.valueSerde()).serialize(cast(Samples.fullUser())),
                StandardCharsets.UTF_8);

        assertThat(json).contains("\"updatedAt\":\"2026-11-21T09:30:15.123Z\"").contains("\"start\":\"22:00:00\"");
        assertThat(json).contains("\"emailStatus\":\"active\"").contains("\"platform\":\"android\"");
    }

    @Test
    void absentOptionalFieldsAreLeftOutRatherThanWrittenAsNull() {
        String json = new String(
                Topics.REQUESTS.valueSerde().serializer().serialize("t", Samples.minimalRequest()),
                StandardCharsets.UTF_8);

        assertThat(json).doesNotContain("null").doesNotContain("locale");
    }

    @Test
    void readsTheConfluentWireFormat() {
        byte[] plain = Topics.REQUESTS.valueSerde().serializer().serialize("t", Samples.fullRequest());
        byte[] framed = ByteBuffer.allocate(5 + plain.length)
                .put((byte) 0)
                .putInt(42)
                .put(plain)
                .array();

        assertThat(Topics.REQUESTS.valueSerde().deserializer().deserialize("t", framed))
                .isEqualTo(Samples.fullRequest());
    }

    @Test
    void tombstonesStayNull() {
        assertThat(Topics.USERS.valueSerde().serializer().serialize("users", null))
                .isNull();
        assertThat(Topics.USERS.valueSerde().deserializer().deserialize("users", null))
                .isNull();
    }

    static Stream<Arguments> documentsTheSchemaRejects() {
        String id = "\"id\":\"" + Samples.ID + "\"";
        return Stream.of(
                Arguments.of("{\"userId\":\"u\",\"templateId\":\"t\"}", "$: required property 'id' not found"),
                Arguments.of(
                        "{" + id + ",\"userId\":7,\"templateId\":\"t\"}", "$.userId: integer found, string expected"),
                Arguments.of("{" + id + ",\"userId\":\"u\",\"templateId\":\"t\",\"colour\":\"red\"}", "colour"),
                Arguments.of(
                        "{\"id\":\"not-a-uuid\",\"userId\":\"u\",\"templateId\":\"t\"}",
                        "$.id: must be a UUID, such as 3f2b8c1e-8d4a-4e57-9a61-2c1f0b7d9e10"),
                Arguments.of("{" + id + ",\"userId\":\"u\",\"templateId\":\"Bad Slug\"}", "$.templateId"),
                Arguments.of(
                        "{" + id + ",\"userId\":\"u\",\"templateId\":\"t\",\"priority\":\"urgent\"}", "$.priority"),
                Arguments.of(
                        "{" + id + ",\"userId\":\"u\",\"templateId\":\"t\",\"channels\":[\"sms\"]}", "$.channels[0]"),
                Arguments.of(
                        "{" + id + ",\"userId\":\"u\",\"templateId\":\"t\",\"scheduledAt\":\"tomorrow\"}",
                        // said once, in Herald's words (the library's: "does not match the date-time pattern must be a
                        // valid RFC 3339 date-time")
                        "$.scheduledAt: must be an RFC 3339 date-time with an offset, such as 2026-01-31T09:00:00Z"),
                Arguments.of("{" + id + ",\"userId\":\"\",\"templateId\":\"t\"}", "$.userId"),
                Arguments.of("[1,2]", "$: array found, object expected"),
                Arguments.of("{\"id\":", "not JSON"),
                Arguments.of("{" + id + ",\"userId\":\"u\",\"templateId\":\"t\"} trailing", "not JSON"),
                Arguments.of(
                        "{" + id + ",\"userId\":\"u\",\"userId\":\"v\",\"templateId\":\"t\"}",
                        "Duplicate Object property \"userId\""),
                Arguments.of("", "$"));
    }

    @ParameterizedTest
    @MethodSource("documentsTheSchemaRejects")
    void deserializerRejectsWhatTheSchemaRejects(String document, String expectedViolation) {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Topics.REQUESTS.valueSerde().deserializer().deserialize("t", bytes))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> {
                    assertThat(e.schema()).isEqualTo("notification-request.schema.json");
                    assertThat(e.violations()).anySatisfy(v -> assertThat(v).contains(expectedViolation));
                });
    }

    @Test
    void aDocumentRefusedForAMemberNamedTwiceCanStillBeReadToNameItsNotification() {
        byte[] twice = "{\"notificationId\":\"a\",\"notificationId\":\"b\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(JsonSchemaSerde.readTreeOrNull(twice).path("notificationId").asString())
                .isEqualTo("b");
        assertThat(JsonSchemaSerde.readTreeOrNull("{\"notificationId\":".getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }

    @Test
    void rejectsAnInvalidDocumentInTheConfluentWireFormat() {
        byte[] doc = "{\"userId\":\"u\"}".getBytes(StandardCharsets.UTF_8);
        byte[] framed = ByteBuffer.allocate(5 + doc.length)
                .put((byte) 0)
                .putInt(1)
                .put(doc)
                .array();

        assertThatThrownBy(() -> Topics.REQUESTS.valueSerde().deserializer().deserialize("t", framed))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("required property 'id' not found");
    }

    @Test
    void rejectsAConfluentHeaderWithoutADocument() {
        assertThatThrownBy(
                        () -> Topics.REQUESTS.valueSerde().deserializer().deserialize("t", new byte[] {0, 0, 0, 0, 1}))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("without a document");
    }

    @Test
    void rejectsAnEmailWhoseSubjectCarriesALineBreak() {
        String json = new String(
                        ((JsonSchemaSerde<Object>) (Serde<?>)
                                        Topics.emailDeliveries(Priority.HIGH).valueSerde())
                                .serialize(Samples.email()),
                        StandardCharsets.UTF_8)
                .replace("Order A-1", "Order\\r\\nBcc: victim@example.com");

        assertThatThrownBy(() -> Topics.emailDeliveries(Priority.HIGH)
                        .valueSerde()
                        .deserializer()
                        .deserialize("t", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("$.subject");
    }

    @Test
    void rejectsAUserWithAMalformedEmailAddress() {
        String json =
                "{\"id\":\"u\",\"email\":\"not an address\",\"emailStatus\":\"active\",\"devices\":[],\"preferences\":{},\"updatedAt\":\"2026-11-21T09:30:15Z\"}";

        assertThatThrownBy(() -> Topics.USERS
                        .valueSerde()
                        .deserializer()
                        .deserialize("users", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("$.email: must be an email address (an RFC 5321 mailbox)");
    }

    @Test
    void aStatusEventClipsAReasonTooLongForItsSchemaSoItStaysReadable() {
        StatusEvent event = new StatusEvent(
                Samples.ID,
                "u",
                Status.FAILED,
                null,
                "e".repeat(10_000),
                "email-sink",
                Samples.AT,
                Map.of("error", "d".repeat(5_000)));

        assertThat(event.reason()).hasSize(StatusEvent.MAX_TEXT).endsWith("…");
        assertThat(event.details().get("error")).hasSize(StatusEvent.MAX_TEXT);
        assertThat(Topics.STATUS.violations(event)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
