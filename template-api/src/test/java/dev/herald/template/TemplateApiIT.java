package dev.herald.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.Template;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.ConnectionPools;
import dev.herald.testkit.TestInfrastructure;
import dev.herald.testkit.TopicProbe;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class TemplateApiIT {

    private static final Duration PUBLISHED = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafkaAndSecurity(registry);
        TestInfrastructure.freshDatabaseSchema(registry, "template_api_it");
    }

    @Autowired
    WebTestClient http;

    private TopicProbe<String, Template> templatesTopic;
    private final String token = TestInfrastructure.token("templates:read", "templates:write");

    @BeforeEach
    void openProbe() {
        templatesTopic = TopicProbe.of(TestInfrastructure.broker().bootstrapServers(), Topics.TEMPLATES);
    }

    @Autowired
    ConnectionFactory connections;

    @AfterEach
    void closeProbe() {
        templatesTopic.close();
    }

    /** Every request gave its database connection back: a leak would hang later requests once the pool is empty. */
    @AfterEach
    void noConnectionIsHeld() {
        ConnectionPools.awaitAllReturned(connections);
    }

    @Test
    void putCreatesVersionOneThatGetReturnsAndTheTemplatesTopicCarries() {
        String id = newId();
        put(id, orderShipped("Your order {{order.number}} has shipped"))
                .expectStatus()
                .isCreated()
                .expectHeader()
                .location("/api/v1/templates/" + id)
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(1)
                .jsonPath("$.locales.en.email.subject")
                .isEqualTo("Your order {{order.number}} has shipped")
                .jsonPath("$.locales['pt-BR'].push.title")
                .isEqualTo("Pedido enviado");

        http.get()
                .uri("/api/v1/templates/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.name")
                .isEqualTo("Order shipped")
                .jsonPath("$.category")
                .isEqualTo("orders")
                .jsonPath("$.defaultLocale")
                .isEqualTo("en")
                .jsonPath("$.locales.en.push.data.screen")
                .isEqualTo("orders");

        Template published = templatesTopic
                .await(r -> id.equals(r.key()), 1, PUBLISHED)
                .getFirst()
                .value();
        assertThat(published.version()).isEqualTo(1);
        assertThat(published.locales().get("en").email().html()).isEqualTo("<p>Hi {{name}}</p>");
    }

    @Test
    void eachPutActivatesTheNextVersionAndPublishesItInOrder() {
        String id = newId();
        put(id, orderShipped("first")).expectStatus().isCreated();
        put(id, orderShipped("second"))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(2);

        List<ConsumerRecord<String, Template>> versions = templatesTopic.await(r -> id.equals(r.key()), 2, PUBLISHED);
        assertThat(versions).extracting(r -> r.value().version()).containsExactly(1, 2);
        assertThat(versions.getLast().value().locales().get("en").email().subject())
                .isEqualTo("second");
    }

    @Test
    void incompleteContentIsRefusedWithAProblemPointingAtTheMissingPart() {
        String id = newId();
        Map<String, Object> body = Map.of(
                "name", "Broken",
                "defaultLocale", "fr",
                "locales",
                        Map.of(
                                "en", Map.of("email", Map.of("html", "<p>no subject</p>")),
                                "de", Map.of("push", Map.of("title", "Titel"))));

        put(id, body)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[*].pointer")
                .value(pointers -> assertThat((List<String>) pointers)
                        .contains("#/defaultLocale", "#/locales/en/email", "#/locales/de/push"));
        http.get()
                .uri("/api/v1/templates/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(templatesTopic.readFor(Duration.ofSeconds(1), r -> id.equals(r.key())))
                .isEmpty();
    }

    @Test
    void oversizedPartsLineBreaksInSubjectsAndBadPushUrlsAreRefusedWherePresent() {
        put(newId(), Map.of("name", "x".repeat(201), "defaultLocale", "en", "locales", Map.of()))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].pointer")
                .value(pointers -> assertThat((List<String>) pointers).contains("#/name", "#/locales"));
        Map<String, Object> body = Map.of(
                "name", "Too much",
                "defaultLocale", "en",
                "locales",
                        Map.of(
                                "en",
                                Map.of(
                                        "email",
                                                Map.of(
                                                        "subject", "Hello\r\nBcc: all@example.com",
                                                        "text", "t"),
                                        "push",
                                                Map.of(
                                                        "title", "t".repeat(1025),
                                                        "body", "b",
                                                        "imageUrl", "not a uri"))));
        put(newId(), body)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].pointer")
                .value(pointers -> assertThat((List<String>) pointers)
                        .contains(
                                "#/locales/en/email/subject", "#/locales/en/push/title", "#/locales/en/push/imageUrl"));
    }

    @Test
    void theOpenApiDocumentListsEveryEndpoint() {
        TestInfrastructure.openApiDocument(http)
                .jsonPath("$.paths['/api/v1/templates/{id}'].delete")
                .exists()
                .jsonPath("$.paths['/api/v1/templates/{id}/versions'].post")
                .exists()
                .jsonPath("$.paths['/api/v1/templates/{id}/versions/{version}'].put")
                .exists()
                .jsonPath("$.paths['/api/v1/templates/{id}/versions/{version}/publish'].post")
                .exists()
                // no body, yet a version too large for a record gets 413
                .jsonPath("$.paths['/api/v1/templates/{id}/versions/{version}/publish'].post.responses['413']")
                .exists()
                .jsonPath("$.paths['/api/v1/templates/{id}/rollback'].post")
                .exists()
                .jsonPath("$.paths['/api/v1/templates/{id}/preview'].post")
                .exists()
                .jsonPath("$.paths['/api/v1/layouts/{name}'].put")
                .exists()
                .jsonPath("$.paths['/api/v1/templates'].get")
                .exists()
                // the answers the operations really give: 201 for something new, 204 for a deletion
                .jsonPath("$.paths['/api/v1/templates/{id}'].put.responses['201']")
                .exists()
                .jsonPath("$.paths['/api/v1/templates/{id}/versions'].post.responses['201']")
                .exists()
                .jsonPath("$.paths['/api/v1/templates/{id}/versions'].post.responses['200']")
                .doesNotExist()
                .jsonPath("$.paths['/api/v1/layouts/{name}'].delete.responses['204']")
                .exists()
                .jsonPath("$.paths['/api/v1/layouts/{name}'].delete.responses['200']")
                .doesNotExist()
                .jsonPath("$.paths['/api/v1/templates/{id}'].delete.responses['503']")
                .exists()
                .jsonPath("$.paths['/api/v1/layouts/{name}'].delete.responses['409'].description")
                .isEqualTo("A template version uses the layout")
                .jsonPath("$.paths['/api/v1/templates/{id}'].put.responses['404']")
                .doesNotExist()
                // every write takes a precondition; a read does not
                .jsonPath("$.paths['/api/v1/templates/{id}/versions/{version}'].put.responses['412']")
                .exists()
                .jsonPath("$.paths['/api/v1/templates/{id}/rollback'].post.responses['412']")
                .exists()
                .jsonPath("$.paths['/api/v1/templates/{id}'].delete.responses['412']")
                .exists()
                .jsonPath("$.paths['/api/v1/templates/{id}'].get.responses['412']")
                .doesNotExist();
        http.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
    }

    @Test
    void badIdsLocalesAndUnknownMembersAreRefused() {
        put("Not A Slug", orderShipped("x"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].parameter")
                .isEqualTo("id");
        // a draft's path too (its id was reported as a member of the body, #/id, with the schema's raw pattern)
        send(HttpMethod.PUT, orderShipped("x"), "/api/v1/templates/{id}/versions/1", "Bad_Slug")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].parameter")
                .isEqualTo("id")
                .jsonPath("$.errors[0].detail")
                .isEqualTo("must be a slug: 1 to 100 lower-case letters, digits, '.', '_' or '-', starting and"
                        + " ending with a letter or digit");
        put(newId(), Map.of("name", "x", "defaultLocale", "english please", "locales", Map.of()))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].pointer")
                .value(p -> assertThat((List<String>) p).contains("#/defaultLocale", "#/locales"));
        put(newId(), Map.of("name", "x", "defaultLocale", "en", "locales", Map.of("en", Map.of("sms", Map.of()))))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].detail")
                .value(d -> assertThat((String) d).contains("sms"));
        // one locale twice, in two cases: one of them could never be chosen
        Map<String, Object> push = Map.of("push", Map.of("title", "t", "body", "b"));
        put(
                        newId(),
                        Map.of(
                                "name",
                                "x",
                                "defaultLocale",
                                "en",
                                "locales",
                                Map.of("en", push, "pt-BR", push, "pt-br", push)))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/locales/pt-br")
                .jsonPath("$.errors[0].detail")
                .isEqualTo("is the locale 'pt-BR' again: language tags ignore case");
    }

    @Test
    void theNulCharacterIsRefusedWhereverItComesAsA400NotA500() {
        Map<String, Object> named = new java.util.HashMap<>(orderShipped("x"));
        named.put("name", "Order\u0000shipped");
        put(newId(), named)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/name")
                .jsonPath("$.errors[0].detail")
                .isEqualTo("must not contain the NUL character (\\u0000)");
        putLayout(newId(), "<html>\u0000{{{content}}}</html>")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/html");
        Map<String, Object> schema = new java.util.HashMap<>(orderShipped("x"));
        schema.put("dataSchema", Map.of("type", "object", "description", "a\u0000b"));
        put(newId(), schema)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/dataSchema/description");
        // a member name is no string member: PostgreSQL's refusal of the data schema, stored whole, is the 400
        schema.put("dataSchema", Map.of("type", "object", "$defs", Map.of("a\u0000b", Map.of("type", "string"))));
        String id = newId();
        put(id, schema)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("NUL character"));
        get("/api/v1/templates/{id}", id).expectStatus().isNotFound();
        for (String cursor : List.of("AA", "garbage", "_w")) {
            get("/api/v1/templates?cursor=" + cursor).expectStatus().isBadRequest();
        }
    }

    @Test
    void aTemplateLargerThanWebFluxsDefaultBodyLimitIsStored() {
        String page = "<p>" + "x".repeat(300_000) + "</p>";
        put(
                        newId(),
                        Map.of(
                                "name",
                                "Long",
                                "defaultLocale",
                                "en",
                                "locales",
                                Map.of("en", Map.of("email", Map.of("subject", "Long", "html", page, "text", "long")))))
                .expectStatus()
                .isCreated();
    }

    @Test
    void aTemplateTooLargeForOneKafkaRecordIsRefusedAndNotPublished() {
        String id = newId();
        String page = "<p>" + "x".repeat(400_000) + "</p>";
        Map<String, Object> email = Map.of("subject", "Big", "html", page, "text", "small");
        put(
                        id,
                        Map.of(
                                "name",
                                "Big",
                                "defaultLocale",
                                "en",
                                "locales",
                                Map.of(
                                        "en",
                                        Map.of("email", email),
                                        "de",
                                        Map.of("email", email),
                                        "fr",
                                        Map.of("email", email))))
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                // refused as a record, not as a body: the API reads bodies up to 4 MB
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("templates record; at most"));

        http.get()
                .uri("/api/v1/templates/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isNotFound();
        assertThat(templatesTopic.readFor(Duration.ofSeconds(1), r -> id.equals(r.key())))
                .isEmpty();
    }

    @Test
    void writingNeedsTheWriteScope() {
        http.put()
                .uri("/api/v1/templates/{id}", newId())
                .headers(h -> h.setBearerAuth(TestInfrastructure.token("templates:read")))
                .bodyValue(orderShipped("x"))
                .exchange()
                .expectStatus()
                .isForbidden();
        http.get()
                .uri("/api/v1/templates/{id}", newId())
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void mustacheThatDoesNotCompileIsRefusedWithTheLocalePartAndLine() {
        put(
                        newId(),
                        Map.of(
                                "name", "Broken",
                                "defaultLocale", "en",
                                "locales",
                                        Map.of(
                                                "en",
                                                Map.of(
                                                        "email",
                                                        Map.of(
                                                                "subject", "Hi {{name",
                                                                "html", "<p>\n{{#items}}\n</p>")),
                                                "pt-BR",
                                                Map.of(
                                                        "push",
                                                        Map.of(
                                                                "title", "t",
                                                                "body", "b",
                                                                "data", Map.of("url", "{{/x}}"))))))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].pointer")
                .value(pointers -> assertThat((List<String>) pointers)
                        .containsExactlyInAnyOrder(
                                "#/locales/en/email/subject",
                                "#/locales/en/email/html",
                                "#/locales/pt-BR/push/data/url"))
                .jsonPath("$.errors[?(@.pointer == '#/locales/en/email/html')].detail")
                .value(details ->
                        assertThat(((List<String>) details).getFirst()).startsWith("line 2: "));

        // a partial has nothing to load it from: it could never render (it failed every delivery)
        Map<String, Object> partial = new java.util.HashMap<>(orderShipped("x"));
        partial.put(
                "locales",
                Map.of("en", Map.of("email", Map.of("subject", "s", "html", "<p>{{> footer}}</p>", "text", "t"))));
        put(newId(), partial)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/locales/en/email/html")
                .jsonPath("$.errors[0].detail")
                .value(detail -> assertThat((String) detail).startsWith("line 1: includes the partial 'footer'"));
    }

    @Test
    void previewRendersWhatARecipientWouldReceiveWithTheDeliveryLocaleFallback() {
        String id = newId();
        put(id, orderShipped("Order {{order.number}} for {{name}}"))
                .expectStatus()
                .isCreated();
        Map<String, Object> data = Map.of("name", "Ana <3", "order", Map.of("number", "A-1"));

        http.post()
                .uri("/api/v1/templates/{id}/preview", id)
                .headers(h -> h.setBearerAuth(TestInfrastructure.token("templates:read")))
                .bodyValue(Map.of("locale", "pt-BR", "data", data))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(1)
                // pt-BR has push only: email falls back to the default locale
                .jsonPath("$.email.locale")
                .isEqualTo("en")
                .jsonPath("$.email.subject")
                .isEqualTo("Order A-1 for Ana <3")
                .jsonPath("$.email.html")
                .isEqualTo("<p>Hi Ana &lt;3</p>")
                .jsonPath("$.email.text")
                .isEqualTo("Hi Ana <3")
                .jsonPath("$.push.locale")
                .isEqualTo("pt-BR")
                .jsonPath("$.push.body")
                .isEqualTo("Pedido A-1")
                .jsonPath("$.errors")
                .isEmpty();

        put(id, orderShipped("Order {{order.number}} v2")).expectStatus().isOk();
        send(
                        HttpMethod.POST,
                        Map.of("version", 1, "locale", "en", "data", Map.of("order", Map.of("number", "B-2"))),
                        "/api/v1/templates/{id}/preview",
                        id)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(1)
                .jsonPath("$.email")
                .doesNotExist()
                .jsonPath("$.errors[0].channel")
                .isEqualTo("email")
                .jsonPath("$.errors[0].detail")
                .value(detail -> assertThat((String) detail).contains("name"))
                .jsonPath("$.push.body")
                .isEqualTo("Order B-2");

        send(HttpMethod.POST, Map.of("version", 9), "/api/v1/templates/{id}/preview", id)
                .expectStatus()
                .isNotFound();
        send(HttpMethod.POST, Map.of("locale", "not a tag"), "/api/v1/templates/{id}/preview", id)
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void aDraftIsNeverDeliveredUntilPublishedAndRollbackActivatesAnEarlierVersion() {
        String id = newId();
        send(HttpMethod.POST, orderShipped("Draft one"), "/api/v1/templates/{id}/versions", id)
                .expectStatus()
                .isCreated()
                .expectHeader()
                .location("/api/v1/templates/" + id + "/versions/1")
                .expectBody()
                .jsonPath("$.state")
                .isEqualTo("draft")
                .jsonPath("$.active")
                .isEqualTo(false);
        // a template with drafts only is not unknown: the 404 says what to do
        String draftsOnly = "Template '" + id + "' has drafts only, and a draft is never delivered: publish one (POST"
                + " /api/v1/templates/" + id + "/versions/{n}/publish).";
        get("/api/v1/templates/{id}", id)
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo(draftsOnly);
        send(HttpMethod.POST, Map.of("data", Map.of()), "/api/v1/templates/{id}/preview", id)
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo(draftsOnly);
        get("/api/v1/templates/{id}", newId())
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).startsWith("No template 't-"));
        assertThat(templatesTopic.readFor(Duration.ofSeconds(1), r -> id.equals(r.key())))
                .isEmpty();

        // a draft may change until it is published
        send(HttpMethod.PUT, orderShipped("Version one"), "/api/v1/templates/{id}/versions/1", id)
                .expectStatus()
                .isOk();
        post("/api/v1/templates/{id}/versions/1/publish", id)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(1);
        send(HttpMethod.PUT, orderShipped("Changed after publishing"), "/api/v1/templates/{id}/versions/1", id)
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);

        send(HttpMethod.POST, orderShipped("Version two"), "/api/v1/templates/{id}/versions", id)
                .expectStatus()
                .isCreated();
        post("/api/v1/templates/{id}/versions/2/publish", id).expectStatus().isOk();
        post("/api/v1/templates/{id}/versions/2/publish", id).expectStatus().isEqualTo(409);
        send(HttpMethod.POST, orderShipped("Draft three"), "/api/v1/templates/{id}/versions", id)
                .expectStatus()
                .isCreated();

        rollback(id, 3).expectStatus().isEqualTo(409); // a draft: publish it instead
        rollback(id, 7).expectStatus().isNotFound();
        // a version too large for a whole number, or a fraction, names the member rather than calling the body not JSON
        Map.of(99_999_999_999L, "must be a whole number from -2147483648 to 2147483647", 2.7, "must be a whole number")
                .forEach((version, detail) -> send(
                                HttpMethod.POST, Map.of("version", version), "/api/v1/templates/{id}/rollback", id)
                        .expectStatus()
                        .isBadRequest()
                        .expectBody()
                        .jsonPath("$.errors[0].pointer")
                        .isEqualTo("#/version")
                        .jsonPath("$.errors[0].detail")
                        .isEqualTo(detail));
        rollback(id, 1).expectStatus().isOk().expectBody().jsonPath("$.version").isEqualTo(1);

        get("/api/v1/templates/{id}", id)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.locales.en.email.subject")
                .isEqualTo("Version one");
        get("/api/v1/templates/{id}/versions", id)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items[*].version")
                .isEqualTo(List.of(3, 2, 1))
                .jsonPath("$.items[*].state")
                .isEqualTo(List.of("draft", "published", "published"))
                .jsonPath("$.items[*].active")
                .isEqualTo(List.of(false, false, true));
        get("/api/v1/templates/{id}/versions/{v}", id, 3)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.locales.en.email.subject")
                .isEqualTo("Draft three");
        assertThat(templatesTopic.await(r -> id.equals(r.key()), 3, PUBLISHED))
                .extracting(r -> r.value().version())
                .containsExactly(1, 2, 1);
    }

    @Test
    void everyWriteHonoursIfMatchAndIfNoneMatchSoTwoEditorsCannotOverwriteEachOther() {
        String id = newId();
        String drafts = "/api/v1/templates/{id}/versions";
        // If-None-Match: * creates the template, and only once
        String created = tag(conditional(HttpMethod.POST, orderShipped("Draft"), "If-None-Match", "*", drafts, id)
                .expectStatus()
                .isCreated());
        conditional(HttpMethod.POST, orderShipped("Again"), "If-None-Match", "*", drafts, id)
                .expectStatus()
                .isEqualTo(412)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("If-None-Match: * writes only a new one"));
        assertThat(tag(get(drafts + "/1", id).expectStatus().isOk())).isEqualTo(created);
        assertThat(tag(get(drafts, id).expectStatus().isOk())).isEqualTo(created);

        // two editors read the draft at one revision; the second to write is refused, and the first's edit stays
        String first = tag(conditional(HttpMethod.PUT, orderShipped("Editor A"), "If-Match", created, drafts + "/1", id)
                .expectStatus()
                .isOk());
        assertThat(first).isNotEqualTo(created);
        conditional(HttpMethod.PUT, orderShipped("Editor B"), "If-Match", created, drafts + "/1", id)
                .expectStatus()
                .isEqualTo(412)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The template is at revision " + first.replace("\"", "") + " (ETag " + first
                        + "), which If-Match does not name.");
        get(drafts + "/1", id)
                .expectBody()
                .jsonPath("$.locales.en.email.subject")
                .isEqualTo("Editor A");
        // a request that fails on its own is answered so, whatever its precondition (RFC 9110, 13.2.1)
        conditional(HttpMethod.PUT, orderShipped("Nowhere"), "If-Match", created, drafts + "/99", id)
                .expectStatus()
                .isNotFound();
        Map<String, Object> noLayout = withLayout("No layout", "no-such-layout");
        conditional(HttpMethod.PUT, noLayout, "If-Match", created, drafts + "/1", id)
                .expectStatus()
                .isBadRequest();
        conditional(HttpMethod.POST, Map.of("version", 1), "If-Match", created, "/api/v1/templates/{id}/rollback", id)
                .expectStatus()
                .isEqualTo(409);

        // publishing, rolling back, saving and deleting check the same revision
        conditional(HttpMethod.POST, null, "If-Match", created, drafts + "/1/publish", id)
                .expectStatus()
                .isEqualTo(412);
        String published = tag(conditional(HttpMethod.POST, null, "If-Match", first, drafts + "/1/publish", id)
                .expectStatus()
                .isOk());
        assertThat(tag(get("/api/v1/templates/{id}", id).expectStatus().isOk())).isEqualTo(published);
        conditional(HttpMethod.POST, Map.of("version", 1), "If-Match", first, "/api/v1/templates/{id}/rollback", id)
                .expectStatus()
                .isEqualTo(412);
        // a weak tag never matches, and If-None-Match: * never overwrites
        conditional(HttpMethod.PUT, orderShipped("Weak"), "If-Match", "W/" + published, "/api/v1/templates/{id}", id)
                .expectStatus()
                .isEqualTo(412);
        conditional(HttpMethod.PUT, orderShipped("Overwrite"), "If-None-Match", "*", "/api/v1/templates/{id}", id)
                .expectStatus()
                .isEqualTo(412);
        String saved = tag(conditional(
                        HttpMethod.PUT,
                        orderShipped("Saved"),
                        "If-Match",
                        "\"1\", " + published,
                        "/api/v1/templates/{id}",
                        id)
                .expectStatus()
                .isOk());
        conditional(HttpMethod.DELETE, null, "If-Match", published, "/api/v1/templates/{id}", id)
                .expectStatus()
                .isEqualTo(412);
        get("/api/v1/templates/{id}", id)
                .expectBody()
                .jsonPath("$.locales.en.email.subject")
                .isEqualTo("Saved");
        conditional(HttpMethod.DELETE, null, "If-Match", "not a tag", "/api/v1/templates/{id}", id)
                .expectStatus()
                .isBadRequest();
        conditional(HttpMethod.DELETE, null, "If-Match", saved, "/api/v1/templates/{id}", id)
                .expectStatus()
                .isNoContent();

        // If-Match on a template that does not exist creates nothing
        String absent = newId();
        conditional(HttpMethod.PUT, orderShipped("Nobody"), "If-Match", "*", "/api/v1/templates/{id}", absent)
                .expectStatus()
                .isEqualTo(412)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The template does not exist.");
        get(drafts, absent).expectStatus().isNotFound();
        assertThat(templatesTopic.readFor(Duration.ofSeconds(1), r -> absent.equals(r.key())))
                .isEmpty();
    }

    @Test
    void ofWritesRacingWithOneConditionOnlyOneIsTaken() throws Exception {
        String id = newId();
        // eight creators of one new template, each only if it is new
        assertThat(race(
                        8,
                        i -> conditional(
                                HttpMethod.PUT,
                                orderShipped("Creator " + i),
                                "If-None-Match",
                                "*",
                                "/api/v1/templates/{id}",
                                id)))
                .containsOnly(201, 412)
                .containsOnlyOnce(201);
        String current = tag(get("/api/v1/templates/{id}", id).expectStatus().isOk());
        // eight editors who read the same revision
        assertThat(race(
                        8,
                        i -> conditional(
                                HttpMethod.PUT,
                                orderShipped("Editor " + i),
                                "If-Match",
                                current,
                                "/api/v1/templates/{id}",
                                id)))
                .containsOnly(200, 412)
                .containsOnlyOnce(200);
        get("/api/v1/templates/{id}/versions", id)
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(2);
    }

    /** The statuses of {@code n} requests sent at once. */
    private static List<Integer> race(int n, java.util.function.IntFunction<WebTestClient.ResponseSpec> request)
            throws Exception {
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int sender = i;
                answers.add(senders.submit(() -> request.apply(sender)
                        .expectBody()
                        .returnResult()
                        .getStatus()
                        .value()));
            }
            List<Integer> statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            return statuses;
        } finally {
            senders.shutdownNow();
        }
    }

    private static final Map<String, Object> ORDER_SCHEMA = objectOf(Map.of("number", Map.of("type", "string")));

    /** The schema of an object with {@code properties}. */
    private static Map<String, Object> objectOf(Map<String, Object> properties) {
        return Map.of("type", "object", "properties", properties);
    }

    @Test
    void aLayoutMustUseOnlyVariablesTheDataSchemaOfEveryVersionUsingItDeclares() {
        String layout = "schema-" + UUID.randomUUID().toString().substring(0, 8);
        putLayout(layout, "<html><body>{{{content}}}\n<p>{{company}}</p></body></html>")
                .expectStatus()
                .isCreated();
        Map<String, Object> body = withLayout("Hi", layout);
        body.put("dataSchema", objectOf(Map.of("name", Map.of("type", "string"), "order", ORDER_SCHEMA)));
        // every delivery's email would fail: the layout needs a company the data never has
        put(newId(), body)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/layout")
                .jsonPath("$.errors[0].detail")
                .value(detail -> assertThat((String) detail)
                        .startsWith("layout '" + layout + "' uses a variable the data schema does not declare: ")
                        .contains("company"));
        body.put(
                "dataSchema",
                objectOf(Map.of(
                        "name", Map.of("type", "string"),
                        "order", ORDER_SCHEMA,
                        "company", Map.of("type", "string"))));
        String id = newId();
        put(id, body).expectStatus().isCreated();

        // nor may the layout come to need what that version's schema does not declare
        putLayout(layout, "<html><body>{{{content}}}\n<p>{{company}} {{coupon}}</p></body></html>")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/html")
                .jsonPath("$.errors[0].detail")
                .value(detail -> assertThat((String) detail)
                        .startsWith("line 2: uses a variable the data schema of version 1 of template '" + id
                                + "' does not declare: ")
                        .contains("coupon"));
        get("/api/v1/layouts/{name}", layout)
                .expectBody()
                .jsonPath("$.html")
                .isEqualTo("<html><body>{{{content}}}\n<p>{{company}}</p></body></html>");
        putLayout(layout, "<html><body>{{{content}}}<p>{{name}} at {{company}}</p></body></html>")
                .expectStatus()
                .isOk();
    }

    @Test
    void layoutWritesHonourIfMatchAndIfNoneMatch() throws Exception {
        String layout = "cond-" + UUID.randomUUID().toString().substring(0, 8);
        String uri = "/api/v1/layouts/{name}";
        Map<String, String> first = Map.of("html", "<html>{{{content}}}<p>one</p></html>");
        Map<String, String> second = Map.of("html", "<html>{{{content}}}<p>two</p></html>");
        assertThat(race(8, i -> conditional(HttpMethod.PUT, first, "If-None-Match", "*", uri, layout)))
                .containsOnly(201, 412)
                .containsOnlyOnce(201);
        String created = tag(get(uri, layout).expectStatus().isOk());
        String changed = tag(conditional(HttpMethod.PUT, second, "If-Match", created, uri, layout)
                .expectStatus()
                .isOk());
        assertThat(changed).isNotEqualTo(created);
        conditional(HttpMethod.PUT, first, "If-Match", created, uri, layout)
                .expectStatus()
                .isEqualTo(412)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).startsWith("The layout is at revision "));
        get(uri, layout).expectBody().jsonPath("$.html").isEqualTo(second.get("html"));
        conditional(HttpMethod.PUT, first, "If-None-Match", "*", uri, layout)
                .expectStatus()
                .isEqualTo(412);
        // the request's own 400 and 409 come before the precondition's 412
        conditional(HttpMethod.PUT, Map.of("html", "<html>no body</html>"), "If-Match", created, uri, layout)
                .expectStatus()
                .isBadRequest();
        Map<String, Object> user = withLayout("Uses it", layout);
        String template = newId();
        put(template, user).expectStatus().isCreated();
        conditional(HttpMethod.DELETE, null, "If-Match", created, uri, layout)
                .expectStatus()
                .isEqualTo(409);
        http.delete()
                .uri("/api/v1/templates/{id}", template)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isNoContent();
        conditional(HttpMethod.DELETE, null, "If-Match", created, uri, layout)
                .expectStatus()
                .isEqualTo(412);
        conditional(HttpMethod.DELETE, null, "If-Match", changed, uri, layout)
                .expectStatus()
                .isNoContent();
        // If-Match creates nothing
        conditional(HttpMethod.PUT, first, "If-Match", "*", uri, layout)
                .expectStatus()
                .isEqualTo(412)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The layout does not exist.");
        get(uri, layout).expectStatus().isNotFound();
        conditional(HttpMethod.DELETE, null, "If-Match", changed, uri, layout)
                .expectStatus()
                .isNotFound();
    }

    @Test
    void changingALayoutGivesTheTemplatesUsingItANewRevision() {
        String layout = "tagged-" + UUID.randomUUID().toString().substring(0, 8);
        putLayout(layout, "<html><body>{{{content}}}</body></html>")
                .expectStatus()
                .isCreated();
        String id = newId();
        Map<String, Object> body = withLayout("Hi", layout);
        String before = tag(put(id, body).expectStatus().isCreated());
        putLayout(layout, "<html><body>{{{content}}}<p>v2</p></body></html>")
                .expectStatus()
                .isOk();
        assertThat(tag(get("/api/v1/templates/{id}", id).expectStatus().isOk())).isNotEqualTo(before);
    }

    @Test
    void deletingATemplatePublishesATombstoneAndForgetsEveryVersion() {
        String id = newId();
        put(id, orderShipped("Gone soon")).expectStatus().isCreated();

        http.delete()
                .uri("/api/v1/templates/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isNoContent();

        get("/api/v1/templates/{id}", id).expectStatus().isNotFound();
        get("/api/v1/templates/{id}/versions", id).expectStatus().isNotFound();
        http.delete()
                .uri("/api/v1/templates/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isNotFound();
        List<ConsumerRecord<String, Template>> records = templatesTopic.await(r -> id.equals(r.key()), 2, PUBLISHED);
        assertThat(records.getLast().value()).isNull();
    }

    @Test
    void theListPagesThroughActiveTemplatesAndFiltersByCategoryAndLocale() {
        String prefix = "list-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String category = "cat-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            Map<String, Object> body = new java.util.HashMap<>(orderShipped("Subject " + i));
            body.put("category", category);
            put(prefix + i, body).expectStatus().isCreated();
        }
        send(HttpMethod.POST, orderShipped("never active"), "/api/v1/templates/{id}/versions", prefix + "draft-only")
                .expectStatus()
                .isCreated();

        List<String> ids = new java.util.ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = get("/api/v1/templates?limit=2&locale=PT-br&category=" + category
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .expectStatus()
                    .isOk()
                    .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {})
                    .returnResult()
                    .getResponseBody();
            ((List<Map<String, Object>>) page.get("items")).forEach(item -> ids.add((String) item.get("id")));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        assertThat(ids).containsExactly(prefix + 0, prefix + 1, prefix + 2);

        assertThat(get("/api/v1/templates?locale=de&category=" + category)
                        .expectStatus()
                        .isOk()
                        .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {})
                        .returnResult()
                        .getResponseBody()
                        .get("items"))
                .asList()
                .isEmpty();
        get("/api/v1/templates?category=Not%20A%20Slug").expectStatus().isBadRequest();
        get("/api/v1/templates?limit=0").expectStatus().isBadRequest();
    }

    @Test
    void aLayoutWrapsTheHtmlOfTemplatesUsingItAndChangingItRepublishesThem() {
        String layout = "brand-" + UUID.randomUUID().toString().substring(0, 8);
        putLayout(layout, "<html><body>no body here</body></html>")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/html");
        putLayout(layout, "<html>\n{{#x}}{{{content}}}</html>")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].detail")
                .value(detail -> assertThat((String) detail).startsWith("line 2: "));
        putLayout(layout, "<html><body>{{{content}}}<p>v1 for {{name}}</p></body></html>")
                .expectStatus()
                .isCreated();

        String id = newId();
        Map<String, Object> body = withLayout("Hi", layout);
        put(id, body).expectStatus().isCreated();
        Map<String, Object> unknown = new java.util.HashMap<>(body);
        unknown.put("layout", "no-such-layout");
        put(newId(), unknown)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/layout");

        assertThat(templatesTopic
                        .await(r -> id.equals(r.key()), 1, PUBLISHED)
                        .getFirst()
                        .value()
                        .layout())
                .isEqualTo(
                        new Template.Layout(layout, "<html><body>{{{content}}}<p>v1 for {{name}}</p></body></html>"));
        send(HttpMethod.POST, Map.of("data", Map.of("name", "Ana & Bo")), "/api/v1/templates/{id}/preview", id)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.email.html")
                .isEqualTo("<html><body><p>Hi Ana &amp; Bo</p><p>v1 for Ana &amp; Bo</p></body></html>");

        putLayout(layout, "<html><body>{{{content}}}<p>v2</p></body></html>")
                .expectStatus()
                .isOk();
        assertThat(templatesTopic
                        .await(r -> id.equals(r.key()), 2, PUBLISHED)
                        .getLast()
                        .value()
                        .layout()
                        .html())
                .isEqualTo("<html><body>{{{content}}}<p>v2</p></body></html>");

        http.delete()
                .uri("/api/v1/layouts/{name}", layout)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isEqualTo(409);
        get("/api/v1/layouts/{name}", layout).expectStatus().isOk();
        get("/api/v1/layouts/{name}", "nope-" + layout).expectStatus().isNotFound();
    }

    @Test
    void aDataSchemaMustBeValidDeclareEveryVariableUsedAndPreviewChecksDataAgainstIt() {
        Map<String, Object> schema = Map.of(
                "type", "object",
                "required", List.of("name"),
                "properties",
                        Map.of(
                                "name",
                                Map.of("type", "string"),
                                "order",
                                Map.of("type", "object", "properties", Map.of("number", Map.of("type", "string")))));
        Map<String, Object> body = new java.util.HashMap<>(orderShipped("Order {{order.number}}"));
        body.put("dataSchema", schema);
        String id = newId();
        put(id, body).expectStatus().isCreated();

        Map<String, Object> notASchema = new java.util.HashMap<>(body);
        notASchema.put("dataSchema", Map.of("type", "object", "required", "name"));
        put(newId(), notASchema)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .value(pointer -> assertThat((String) pointer).startsWith("#/dataSchema"));
        // a reference to nothing (it was stored, and every notification using it was lost without a status)
        Map<String, Object> dangling = new java.util.HashMap<>(body);
        dangling.put(
                "dataSchema",
                Map.of("type", "object", "properties", Map.of("order", Map.of("$ref", "#/$defs/Missing"))));
        put(newId(), dangling)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/dataSchema")
                .jsonPath("$.errors[0].detail")
                .isEqualTo("is not a valid JSON Schema: has a reference that cannot be resolved: Reference"
                        + " /$defs/Missing cannot be resolved");

        Map<String, Object> undeclared = new java.util.HashMap<>(orderShipped("Order {{order.total}}"));
        undeclared.put("dataSchema", schema);
        put(newId(), undeclared)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/locales/en/email/subject")
                .jsonPath("$.errors[0].detail")
                .value(detail -> assertThat((String) detail).contains("total"));

        send(
                        HttpMethod.POST,
                        Map.of("data", Map.of("order", Map.of("number", 5))),
                        "/api/v1/templates/{id}/preview",
                        id)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.email")
                .doesNotExist()
                .jsonPath("$.errors[0].channel")
                .doesNotExist()
                .jsonPath("$.errors[0].detail")
                .value(detail ->
                        assertThat((String) detail).startsWith("the data does not match the template's data schema"));
        get("/api/v1/templates/{id}/versions/1", id)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.dataSchema.required[0]")
                .isEqualTo("name");
    }

    private WebTestClient.ResponseSpec putLayout(String name, String html) {
        return send(HttpMethod.PUT, Map.of("html", html), "/api/v1/layouts/{name}", name);
    }

    private WebTestClient.ResponseSpec send(HttpMethod method, Object body, String uri, Object... variables) {
        return http.method(method)
                .uri(uri, variables)
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(body)
                .exchange();
    }

    /** Sends {@code body} (none when {@code null}) with one precondition header. */
    private WebTestClient.ResponseSpec conditional(
            HttpMethod method, Object body, String header, String value, String uri, Object... variables) {
        WebTestClient.RequestBodySpec request = http.method(method)
                .uri(uri, variables)
                .headers(h -> {
                    h.setBearerAuth(token);
                    h.set(header, value);
                });
        return (body == null ? request : request.bodyValue(body)).exchange();
    }

    /** The answer's ETag, a quoted revision. */
    private static String tag(WebTestClient.ResponseSpec answer) {
        String etag = answer.expectBody().returnResult().getResponseHeaders().getETag();
        assertThat(etag).matches("\"[0-9]+\"");
        return etag;
    }

    private WebTestClient.ResponseSpec get(String uri, Object... variables) {
        return http.get()
                .uri(uri, variables)
                .headers(h -> h.setBearerAuth(token))
                .exchange();
    }

    private WebTestClient.ResponseSpec post(String uri, Object... variables) {
        return http.post()
                .uri(uri, variables)
                .headers(h -> h.setBearerAuth(token))
                .exchange();
    }

    private WebTestClient.ResponseSpec rollback(String id, int version) {
        return send(HttpMethod.POST, Map.of("version", version), "/api/v1/templates/{id}/rollback", id);
    }

    private static Map<String, Object> orderShipped(String subject) {
        return Map.of(
                "name", "Order shipped",
                "category", "orders",
                "defaultLocale", "en",
                "locales",
                        Map.of(
                                "en",
                                        Map.of(
                                                "email",
                                                        Map.of(
                                                                "subject",
                                                                subject,
                                                                "html",
                                                                "<p>Hi {{name}}</p>",
                                                                "text",
                                                                "Hi {{name}}"),
                                                "push",
                                                        Map.of(
                                                                "title",
                                                                "Order shipped",
                                                                "body",
                                                                "Order {{order.number}}",
                                                                "data",
                                                                Map.of("screen", "orders"))),
                                "pt-BR",
                                        Map.of(
                                                "push",
                                                Map.of("title", "Pedido enviado", "body", "Pedido {{order.number}}"))));
    }

    /** {@link #orderShipped} using layout {@code layout}, as a map a test may change further. */
    private static Map<String, Object> withLayout(String subject, String layout) {
        Map<String, Object> body = new java.util.HashMap<>(orderShipped(subject));
        body.put("layout", layout);
        return body;
    }

    private WebTestClient.ResponseSpec put(String id, Map<String, ?> body) {
        return http.put()
                .uri("/api/v1/templates/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static String newId() {
        return "t-" + UUID.randomUUID();
    }
}
