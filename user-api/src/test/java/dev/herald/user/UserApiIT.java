package dev.herald.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.UserProfile;
import dev.herald.testkit.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

class UserApiIT extends UserApiTestBase {

    @Test
    void putCreatesAUserThatGetReturnsAndTheUsersTopicCarries() {
        String id = newId();
        put(
                        id,
                        Map.of(
                                "email", "ana@example.com",
                                "locale", "pt-BR",
                                "timeZone", "America/Sao_Paulo",
                                "devices",
                                        List.of(Map.of("token", "tok-" + id, "platform", "android", "appId", "shop"))))
                .expectStatus()
                .isCreated()
                .expectHeader()
                .location("/api/v1/users/" + id)
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(id)
                .jsonPath("$.emailStatus")
                .isEqualTo("active")
                .jsonPath("$.devices[0].token")
                .isEqualTo("tok-" + id);

        http.get()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.email")
                .isEqualTo("ana@example.com")
                .jsonPath("$.locale")
                .isEqualTo("pt-BR")
                .jsonPath("$.timeZone")
                .isEqualTo("America/Sao_Paulo")
                .jsonPath("$.devices[0].platform")
                .isEqualTo("android");

        UserProfile published = usersTopic
                .await(r -> id.equals(r.key()), 1, PUBLISHED)
                .getFirst()
                .value();
        assertThat(published.email()).isEqualTo("ana@example.com");
        assertThat(published.devices()).extracting(UserProfile.Device::token).containsExactly("tok-" + id);
    }

    @Test
    void putReplacesTheUserAndPublishesEachVersionInOrder() {
        String id = newId();
        put(id, Map.of("email", "v1@example.com")).expectStatus().isCreated();
        put(id, Map.of("email", "v2@example.com", "preferences", Map.of("channels", Map.of("email", false))))
                .expectStatus()
                .isOk();

        List<ConsumerRecord<String, UserProfile>> versions = usersTopic.await(r -> id.equals(r.key()), 2, PUBLISHED);
        assertThat(versions).extracting(r -> r.value().email()).containsExactly("v1@example.com", "v2@example.com");
        assertThat(versions.getLast().value().preferences().channels().email()).isFalse();
    }

    @Test
    void aTokenRegisteredToAnotherUserMovesAndBothProfilesArePublished() {
        String first = newId();
        String second = newId();
        String sharedToken = "shared-" + first;
        put(first, Map.of("devices", List.of(Map.of("token", sharedToken, "platform", "ios"))))
                .expectStatus()
                .isCreated();
        http.get()
                .uri("/api/v1/users/{id}", first)
                .headers(h -> h.setBearerAuth(token))
                .exchange() // now cached
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.devices[0].token")
                .isEqualTo(sharedToken);
        put(second, Map.of("devices", List.of(Map.of("token", sharedToken, "platform", "ios"))))
                .expectStatus()
                .isCreated();

        http.get()
                .uri("/api/v1/users/{id}", first)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.devices")
                .isEmpty();
        List<ConsumerRecord<String, UserProfile>> firstVersions =
                usersTopic.await(r -> first.equals(r.key()), 2, PUBLISHED);
        assertThat(firstVersions.getLast().value().devices()).isEmpty();
        assertThat(usersTopic
                        .await(r -> second.equals(r.key()), 1, PUBLISHED)
                        .getFirst()
                        .value()
                        .devices())
                .extracting(UserProfile.Device::token)
                .containsExactly(sharedToken);
    }

    @Test
    void invalidFieldsAreRefusedWithAProblemPointingAtEachOfThem() {
        String id = newId();
        put(
                        id,
                        Map.of(
                                "email", "not-an-address",
                                "locale", "portuguese please",
                                "timeZone", "Mars/Olympus_Mons",
                                "devices", List.of(Map.of("token", "", "platform", "android"))))
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(400)
                .jsonPath("$.errors[*].pointer")
                .value(pointers -> assertThat((List<String>) pointers)
                        .containsExactlyInAnyOrder("#/devices/0/token", "#/email", "#/locale", "#/timeZone"));

        get("/api/v1/users/{id}", id).expectStatus().isNotFound();
        assertThat(usersTopic.readFor(Duration.ofSeconds(1), r -> id.equals(r.key())))
                .isEmpty();
    }

    @Test
    void unknownPropertiesWrongTypesAndRepeatedTokensAreRefused() {
        put(newId(), Map.of("email", "a@example.com", "favouriteColour", "red"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/favouriteColour");
        put(newId(), Map.of("devices", List.of(Map.of("token", "t", "platform", "blackberry"))))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/devices/0/platform");
        // a number is not taken for a string, nor a string for a boolean
        put(newId(), Map.of("email", 42))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/email")
                .jsonPath("$.errors[0].detail")
                .isEqualTo("must be a string");
        put(newId(), Map.of("preferences", Map.of("channels", Map.of("email", "false"))))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/preferences/channels/email")
                .jsonPath("$.errors[0].detail")
                .isEqualTo("must be true or false");
        put(
                        newId(),
                        Map.of(
                                "devices",
                                List.of(
                                        Map.of("token", "t", "platform", "ios"),
                                        Map.of("token", "t", "platform", "web"))))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/devices/1/token");
        http.put()
                .uri("/api/v1/users/{id}", newId())
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\": ")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anEmailLikeIdIsLocatedByItsLocationAndIdsUnsafeInUrlsAreRefused() {
        String id = "ana+" + UUID.randomUUID() + "@example.com";
        String location = put(id, Map.of("email", "deal@example.com"))
                .expectStatus()
                .isCreated()
                .returnResult(String.class)
                .getResponseHeaders()
                .getLocation()
                .toString();
        http.get()
                .uri(location)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(id);

        put("pipe|" + UUID.randomUUID(), Map.of())
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].parameter")
                .isEqualTo("id");
        put("50%off", Map.of())
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void theNulCharacterIsRefusedWhereverItComesAsA400NotA500() {
        String nul = "must not contain the NUL character (\\u0000)";
        put(newId(), Map.of("devices", List.of(Map.of("token", "a\u0000b", "platform", "ios"))))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].pointer")
                .value(pointers -> assertThat((List<String>) pointers).containsExactly("#/devices/0/token"))
                .jsonPath("$.errors[0].detail")
                .isEqualTo(nul);
        String id = newId();
        put(id, Map.of()).expectStatus().isCreated();
        http.post()
                .uri("/api/v1/users/{id}/devices", id)
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of("token", "t", "platform", "web", "appId", "a\u0000"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/appId");
        http.post()
                .uri("/api/v1/users:batch")
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of("users", List.of(Map.of("id", newId(), "email", "a\u0000@example.com"))))
                .exchange()
                .expectBody()
                .jsonPath("$..pointer")
                .value(pointers -> assertThat((List<String>) pointers).contains("#/users/0/email"));
        // where no member can point to it, PostgreSQL's refusal is the 400
        exchangeAsWritten(HttpMethod.GET, "/api/v1/users?email=%00")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("NUL character"));
        // in a path, Spring Security's firewall refuses it first
        exchangeAsWritten(HttpMethod.DELETE, "/api/v1/users/" + id + "/devices/a%00b")
                .expectStatus()
                .isBadRequest();
        // a cursor no page gave: one that decodes to NUL, to bytes that are not UTF-8, to nothing readable
        for (String cursor : List.of("AA", "garbage", "_w", "***")) {
            get("/api/v1/users?cursor=" + cursor).expectStatus().isBadRequest();
        }
        get("/api/v1/users?cursor=").expectStatus().isOk();
    }

    @Test
    void anAcceptThatTakesNoJsonIsRefusedBeforeTheWriteAndJsonIsAnsweredOtherwise() {
        String id = newId();
        http.put()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .accept(MediaType.TEXT_PLAIN)
                .bodyValue(Map.of("email", "ana@example.com"))
                .exchange()
                .expectStatus()
                .isEqualTo(406)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("This endpoint answers application/json, which the request's Accept (text/plain) does not"
                        + " allow.");
        // the refusal came before the write (it used to store the user, then answer 406)
        get("/api/v1/users/{id}", id).expectStatus().isNotFound();

        put(id, Map.of("email", "ana@example.com")).expectStatus().isCreated();
        // a streaming type is no way to get one document (it was answered in it)
        for (MediaType streaming : List.of(MediaType.APPLICATION_NDJSON, MediaType.TEXT_EVENT_STREAM)) {
            http.get()
                    .uri("/api/v1/users/{id}", id)
                    .headers(h -> h.setBearerAuth(token))
                    .accept(streaming)
                    .exchange()
                    .expectStatus()
                    .isEqualTo(406);
        }
        // JSON whatever else the request takes, even where it prefers another type
        http.get()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> {
                    h.setBearerAuth(token);
                    h.set("Accept", "application/x-ndjson, text/event-stream, */*;q=0.1");
                })
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.email")
                .isEqualTo("ana@example.com");
    }

    @Test
    void anUnknownUserIsANotFoundProblem() {
        http.get()
                .uri("/api/v1/users/{id}", "nobody-" + newId())
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(d -> assertThat((String) d).startsWith("No user"));
        // a path no endpoint has is no missing file
        http.get()
                .uri("/api/v1/userz")
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("No endpoint answers /api/v1/userz.");
    }

    @Test
    void requestsWithoutATokenOrWithoutTheScopeAreRefused() {
        http.get()
                .uri("/api/v1/users/{id}", "x")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("WWW-Authenticate", "Bearer")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.get()
                .uri("/api/v1/users/{id}", "x")
                .headers(h -> h.setBearerAuth("not.a.jwt"))
                .exchange()
                .expectStatus()
                .isUnauthorized();
        http.put()
                .uri("/api/v1/users/{id}", newId())
                .headers(h -> h.setBearerAuth(TestInfrastructure.token("users:read")))
                .bodyValue(Map.of())
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .valueEquals("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
        // the scope is checked before the body is read: an invalid one, or one of another type, is no 400 or 415
        String reader = TestInfrastructure.token("users:read");
        http.put()
                .uri("/api/v1/users/{id}", newId())
                .headers(h -> h.setBearerAuth(reader))
                .bodyValue(Map.of("email", 42))
                .exchange()
                .expectStatus()
                .isForbidden();
        http.post()
                .uri("/api/v1/users/{id}/devices", newId())
                .headers(h -> h.setBearerAuth(reader))
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("token")
                .exchange()
                .expectStatus()
                .isForbidden();
        http.post()
                .uri("/api/v1/users:batch")
                .headers(h -> h.setBearerAuth(reader))
                .bodyValue("{")
                .exchange()
                .expectStatus()
                .isForbidden();
        // and the reader still reads
        http.get()
                .uri("/api/v1/users?limit=1")
                .headers(h -> h.setBearerAuth(reader))
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void healthAndTheOpenApiDocumentAreOpenWithoutAToken() {
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        http.get()
                .uri("/v3/api-docs.yaml")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(yaml -> assertThat(yaml).startsWith("openapi: 3"));
        // the cache's failure counts are there before any failure, for alerts to read
        assertThat(TestInfrastructure.prometheus(http))
                .contains("herald_users_cache_errors_total{operation=\"repair\"}");
        TestInfrastructure.openApiDocument(http)
                .jsonPath("$.paths['/api/v1/users/{id}'].put")
                .exists()
                .jsonPath("$.paths['/api/v1/users/{id}'].patch")
                .exists()
                .jsonPath("$.paths['/api/v1/users/{id}'].delete")
                .exists()
                .jsonPath("$.paths['/api/v1/users'].get")
                .exists()
                .jsonPath("$.paths['/api/v1/users:batch'].post")
                .exists()
                .jsonPath("$.paths['/api/v1/users/{id}/devices'].post")
                .exists()
                .jsonPath("$.paths['/api/v1/users/{id}/devices/{token}'].delete")
                .exists()
                .jsonPath("$.paths['/api/v1/users/{id}/preferences'].patch")
                .exists()
                .jsonPath("$.components.securitySchemes.bearer.scheme")
                .isEqualTo("bearer")
                .jsonPath("$.paths['/api/v1/users/{id}'].put.responses['503'].content['application/problem+json']"
                        + ".schema['$ref']")
                .isEqualTo("#/components/schemas/Problem")
                .jsonPath("$.paths['/api/v1/users/{id}'].get.responses['403']")
                .exists()
                .jsonPath("$.paths['/api/v1/users/{id}'].get.responses['413']")
                .doesNotExist()
                // the answers the operations really give: 201 for something new, 204 for a deletion
                .jsonPath("$.paths['/api/v1/users/{id}'].put.responses['201']")
                .exists()
                .jsonPath("$.paths['/api/v1/users/{id}/devices'].post.responses['201']")
                .exists()
                .jsonPath("$.paths['/api/v1/users/{id}'].delete.responses['204']")
                .exists()
                .jsonPath("$.paths['/api/v1/users/{id}/devices/{token}'].delete.responses['200']")
                .doesNotExist()
                .jsonPath("$.paths['/api/v1/users/{id}'].get.responses['404'].content['application/problem+json']"
                        + ".schema['$ref']")
                .isEqualTo("#/components/schemas/Problem")
                .jsonPath("$.paths['/api/v1/users/{id}'].put.responses['404']")
                .doesNotExist()
                .jsonPath("$.paths['/api/v1/users/{id}'].put.responses['412']")
                .exists()
                .jsonPath("$.paths['/api/v1/users/{id}'].get.responses['412']")
                .doesNotExist()
                // answers whose type the controller leaves to the framework are JSON, not */*
                .jsonPath("$.paths['/api/v1/users/{id}'].get.responses['200'].content['application/json']")
                .exists()
                .jsonPath("$.paths['/api/v1/users/{id}'].put.responses['201'].content['application/json']")
                .exists()
                .jsonPath("$.components.schemas.QuietHours.properties.start.example")
                .isEqualTo("22:00");
    }

    @Test
    void patchChangesOnlyTheFieldsItNamesAndNullRemovesOne() {
        String id = newId();
        put(id, Map.of("email", "p@example.com", "locale", "en-GB", "timeZone", "Europe/London"))
                .expectStatus()
                .isCreated();

        patch("/api/v1/users/{id}", Map.of("locale", "pt-PT"), id)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.locale")
                .isEqualTo("pt-PT")
                .jsonPath("$.email")
                .isEqualTo("p@example.com");
        patch("/api/v1/users/{id}", "{\"timeZone\": null}", id).expectStatus().isOk();

        UserProfile stored = profile(id);
        assertThat(stored.timeZone()).isNull();
        assertThat(stored.locale()).isEqualTo("pt-PT");
        assertThat(published(id, 3)).extracting(r -> r.value().locale()).containsExactly("en-GB", "pt-PT", "pt-PT");
        assertThat(published(id, 3).getLast().value().timeZone()).isNull();

        patch("/api/v1/users/{id}", Map.of("timeZone", "Atlantis/Capital", "id", "other"), id)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/id");
        patch("/api/v1/users/{id}", List.of("not", "an", "object"), id)
                .expectStatus()
                .isBadRequest();
        patch("/api/v1/users/{id}", Map.of("locale", "en"), "nobody-" + id)
                .expectStatus()
                .isNotFound();
        // the 415 names the types a merge patch takes (it named application/json alone)
        http.patch()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("locale=en")
                .exchange()
                .expectStatus()
                .isEqualTo(415)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The request body must be JSON, sent with Content-Type: application/merge-patch+json or"
                        + " application/json (it came as text/plain).");
    }

    @Test
    void aWriteThatChangesNothingIsNoNewRevisionAndPublishesNothing() {
        String id = newId();
        Map<String, Object> body = Map.of("email", "same@example.com", "locale", "en", "timeZone", "Europe/Lisbon");
        String etag = put(id, body)
                .expectStatus()
                .isCreated()
                .returnResult(String.class)
                .getResponseHeaders()
                .getETag();

        patch("/api/v1/users/{id}", Map.of(), id)
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("ETag", etag);
        patch("/api/v1/users/{id}", Map.of("locale", "en"), id)
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("ETag", etag);
        put(id, body).expectStatus().isOk().expectHeader().valueEquals("ETag", etag);
        assertThat(profile(id).revision()).isEqualTo(Long.parseLong(etag.replace("\"", "")));

        // a change is a new revision, published after the first
        patch("/api/v1/users/{id}", Map.of("locale", "fr"), id).expectStatus().isOk();
        assertThat(published(id, 2)).extracting(r -> r.value().locale()).containsExactly("en", "fr");
        assertThat(usersTopic.readFor(Duration.ofSeconds(1), r -> id.equals(r.key())))
                .hasSize(2);
    }

    @Test
    void deleteRemovesTheUserAndPublishesATombstone() {
        String id = newId();
        put(id, Map.of("devices", List.of(device("del-" + id, "web"))))
                .expectStatus()
                .isCreated();
        profile(id); // cached

        delete("/api/v1/users/{id}", id).expectStatus().isNoContent();

        get("/api/v1/users/{id}", id).expectStatus().isNotFound();
        delete("/api/v1/users/{id}", id).expectStatus().isNotFound();
        List<ConsumerRecord<String, UserProfile>> versions = published(id, 2);
        assertThat(versions.getLast().value()).isNull();
        // the token is free again: another user can have it without taking it from anyone
        String other = newId();
        put(other, Map.of("devices", List.of(device("del-" + id, "web"))))
                .expectStatus()
                .isCreated();
        assertThat(usersTopic.readFor(Duration.ofSeconds(1), r -> id.equals(r.key())))
                .hasSize(2);
    }

    @Test
    void writesCarryTheRevisionAsAnEtagAndIfMatchGuardsAgainstLostUpdates() {
        String id = newId();
        String etag = put(id, Map.of("locale", "en"))
                .expectStatus()
                .isCreated()
                .returnResult(String.class)
                .getResponseHeaders()
                .getETag();
        assertThat(etag).isEqualTo("\"" + profile(id).revision() + "\"");

        http.put()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .header("If-Match", etag)
                .bodyValue(Map.of("locale", "fr"))
                .exchange()
                .expectStatus()
                .isOk();
        http.put()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .header("If-Match", etag) // stale now
                .bodyValue(Map.of("locale", "de"))
                .exchange()
                .expectStatus()
                .isEqualTo(412)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.delete()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .header("If-Match", etag)
                .exchange()
                .expectStatus()
                .isEqualTo(412);
        assertThat(profile(id).locale()).isEqualTo("fr");

        // "*" matches any revision of a user that exists, and none of one that does not
        http.put()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .header("If-Match", "*")
                .bodyValue(Map.of("locale", "es"))
                .exchange()
                .expectStatus()
                .isOk();
        http.put()
                .uri("/api/v1/users/{id}", newId())
                .headers(h -> h.setBearerAuth(token))
                .header("If-Match", "*")
                .bodyValue(Map.of("locale", "es"))
                .exchange()
                .expectStatus()
                .isEqualTo(412);

        // the comparison is strong: a weak tag names no revision; a list matches by any of its tags
        String current = "\"" + profile(id).revision() + "\"";
        putIfMatch(id, "W/" + current, "it").expectStatus().isEqualTo(412);
        putIfMatch(id, "\"one\"", "it").expectStatus().isEqualTo(412);
        putIfMatch(id, "6", "it").expectStatus().isBadRequest();
        assertThat(profile(id).locale()).isEqualTo("es");
        putIfMatch(id, "", "it").expectStatus().isEqualTo(412);
        putIfMatch(id, "\"a,b\", , " + etag + ",", "it").expectStatus().isEqualTo(412);
        putIfMatch(id, etag + ",\t, " + current, "pt").expectStatus().isOk();
        assertThat(profile(id).locale()).isEqualTo("pt");

        // registering and removing a device honour it too
        http.post()
                .uri("/api/v1/users/{id}/devices", id)
                .headers(h -> h.setBearerAuth(token))
                .header("If-Match", current) // stale after the last write
                .bodyValue(Map.of("token", "t-" + id, "platform", "web"))
                .exchange()
                .expectStatus()
                .isEqualTo(412);
        String registered = http.post()
                .uri("/api/v1/users/{id}/devices", id)
                .headers(h -> h.setBearerAuth(token))
                .header("If-Match", "\"" + profile(id).revision() + "\"")
                .bodyValue(Map.of("token", "t-" + id, "platform", "web"))
                .exchange()
                .expectStatus()
                .isCreated()
                .returnResult(String.class)
                .getResponseHeaders()
                .getETag();
        http.delete()
                .uri("/api/v1/users/{id}/devices/{token}", id, "t-" + id)
                .headers(h -> h.setBearerAuth(token))
                .header("If-Match", current)
                .exchange()
                .expectStatus()
                .isEqualTo(412);
        http.delete()
                .uri("/api/v1/users/{id}/devices/{token}", id, "t-" + id)
                .headers(h -> h.setBearerAuth(token))
                .header("If-Match", registered)
                .exchange()
                .expectStatus()
                .isNoContent();
    }

    @Test
    void ifNoneMatchStarCreatesWithoutOverwritingAndATagListExcludesRevisions() throws Exception {
        String id = newId();
        putIf(id, "If-None-Match", "*", "pt").expectStatus().isCreated();
        post("/api/v1/users/{id}/devices", device("t-" + id, "ios"), id)
                .expectStatus()
                .isCreated();
        long revision = profile(id).revision();

        // a create-only write on a user that exists: 412, and the devices stay (it overwrote them)
        putIf(id, "If-None-Match", "*", "en")
                .expectStatus()
                .isEqualTo(412)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The user exists (revision " + revision + "), and If-None-Match: * writes only a new one.");
        assertThat(profile(id).devices()).extracting(UserProfile.Device::token).containsExactly("t-" + id);
        // compared weakly: W/"n" names revision n
        putIf(id, "If-None-Match", "W/\"" + revision + "\"", "en")
                .expectStatus()
                .isEqualTo(412);
        putIf(id, "If-None-Match", "\"1\", \"" + (revision + 100) + "\"", "en")
                .expectStatus()
                .isOk();
        assertThat(profile(id).locale()).isEqualTo("en");
        putIf(id, "If-None-Match", "6", "en").expectStatus().isBadRequest();

        // two create-only writes at once: one creates, the other gets 412, never an overwrite (neither found a row to
        // lock, so the second's upsert overwrote the first before it checked)
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String contested = newId();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> answers = new java.util.ArrayList<>();
                for (String locale : List.of("pt", "en")) {
                    answers.add(two.submit(() -> {
                        start.await();
                        return putIf(contested, "If-None-Match", "*", locale)
                                .returnResult(String.class)
                                .getStatus()
                                .value();
                    }));
                }
                start.countDown();
                List<Integer> statuses = new java.util.ArrayList<>();
                for (Future<Integer> answer : answers) {
                    statuses.add(answer.get(30, TimeUnit.SECONDS));
                }
                assertThat(statuses).containsExactlyInAnyOrder(201, 412);
                assertThat(profile(contested).locale()).isEqualTo(statuses.get(0) == 201 ? "pt" : "en");
            }
        } finally {
            two.shutdownNow();
        }
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec putIfMatch(
            String id, String ifMatch, String locale) {
        return putIf(id, "If-Match", ifMatch, locale);
    }

    /** A PUT of {@code locale} under the precondition {@code header}. */
    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec putIf(
            String id, String header, String value, String locale) {
        return http.put()
                .uri("/api/v1/users/{id}", id)
                .headers(h -> h.setBearerAuth(token))
                .header(header, value)
                .bodyValue(Map.of("locale", locale))
                .exchange();
    }

    @Test
    void aBouncedAddressStaysBouncedWhenTheProfileIsSentAgainButNotWhenTheAddressChanges() {
        String id = newId();
        put(id, Map.of("email", "gone@example.com", "emailStatus", "bounced"))
                .expectStatus()
                .isCreated();

        put(id, Map.of("email", "GONE@example.com", "locale", "en"))
                .expectStatus()
                .isOk();
        assertThat(profile(id).emailStatus()).isEqualTo(UserProfile.EmailStatus.BOUNCED);

        patch("/api/v1/users/{id}", Map.of("email", "new@example.com"), id)
                .expectStatus()
                .isOk();
        assertThat(profile(id).emailStatus()).isEqualTo(UserProfile.EmailStatus.ACTIVE);
    }

    @Test
    void theListPagesThroughUsersInIdOrderAndFiltersByEmail() {
        String prefix = "list-" + UUID.randomUUID() + "-";
        String email = UUID.randomUUID() + "@list.example.com";
        for (int i = 0; i < 5; i++) {
            put(prefix + i, Map.of("email", i % 2 == 0 ? email : "x" + i + "@example.com"))
                    .expectStatus()
                    .isCreated();
        }

        List<String> ids = new java.util.ArrayList<>();
        String cursor = null;
        do {
            String query = "/api/v1/users?limit=2&email=" + email.toUpperCase(java.util.Locale.ROOT)
                    + (cursor == null ? "" : "&cursor=" + cursor);
            Map<String, Object> page = get(query)
                    .expectStatus()
                    .isOk()
                    .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {})
                    .returnResult()
                    .getResponseBody();
            ((List<Map<String, Object>>) page.get("items")).forEach(item -> ids.add((String) item.get("id")));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);

        assertThat(ids).containsExactly(prefix + 0, prefix + 2, prefix + 4);
        get("/api/v1/users?limit=0").expectStatus().isBadRequest();
        get("/api/v1/users?limit=201").expectStatus().isBadRequest();
        get("/api/v1/users?limit=many")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void everyKindOfInvalidFieldIsAProblemPointingAtIt() {
        List<Map.Entry<String, Map<String, ?>>> cases = new java.util.ArrayList<>();
        cases.add(Map.entry("#/email", Map.of("email", "a@b")));
        cases.add(Map.entry("#/timeZone", Map.of("timeZone", "Europe/Atlantis")));
        cases.add(Map.entry("#/locale", Map.of("locale", "en_US")));
        cases.add(Map.entry("#/emailStatus", Map.of("emailStatus", "unsure")));
        cases.add(Map.entry(
                "#/devices/0/appId",
                Map.of("devices", List.of(Map.of("token", "t", "platform", "ios", "appId", "a".repeat(257))))));
        cases.add(Map.entry(
                "#/devices/0/token", Map.of("devices", List.of(Map.of("token", "t".repeat(4097), "platform", "ios")))));
        cases.add(Map.entry("#/devices/0/platform", Map.of("devices", List.of(Map.of("token", "t")))));
        cases.add(Map.entry(
                "#/devices",
                Map.of(
                        "devices",
                        java.util.stream.IntStream.range(0, 101)
                                .mapToObj(i -> device("t" + i, "web"))
                                .toList())));
        cases.add(Map.entry("#/email", Map.of("email", "a".repeat(250) + "@example.com")));
        cases.add(Map.entry(
                "#/preferences/channels/sms", Map.of("preferences", Map.of("channels", Map.of("sms", true)))));
        cases.add(Map.entry(
                "#/preferences/channels/email", Map.of("preferences", Map.of("channels", Map.of("email", "yes")))));
        cases.add(Map.entry(
                "#/preferences/categories",
                Map.of("preferences", Map.of("categories", Map.of("Not A Slug", Map.of("email", false))))));
        cases.add(Map.entry(
                "#/preferences/quietHours/start",
                Map.of("preferences", Map.of("quietHours", Map.of("start", "25:00", "end", "07:00")))));
        cases.add(Map.entry(
                "#/preferences/quietHours/end",
                Map.of("preferences", Map.of("quietHours", Map.of("start", "22:00", "end", "22:00")))));
        cases.add(Map.entry("#/nickname", Map.of("nickname", "ana")));
        cases.forEach(c -> put(newId(), c.getValue())
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[*].pointer")
                .value(pointers -> assertThat((List<String>) pointers)
                        .as("pointers for %s", c.getValue())
                        .anyMatch(p -> p.startsWith(c.getKey()))));
    }
}
