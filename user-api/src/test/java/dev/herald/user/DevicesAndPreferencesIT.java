package dev.herald.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.UserProfile;
import java.net.URI;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

class DevicesAndPreferencesIT extends UserApiTestBase {

    @Test
    void aDeviceIsRegisteredReRegisteredMovedAndRemoved() {
        String ana = newId();
        String bo = newId();
        put(ana, Map.of()).expectStatus().isCreated();
        put(bo, Map.of()).expectStatus().isCreated();
        String phone = "phone-" + ana;

        post("/api/v1/users/{id}/devices", Map.of("token", phone, "platform", "android", "appId", "shop"), ana)
                .expectStatus()
                .isCreated()
                .expectHeader()
                .location("/api/v1/users/" + ana + "/devices/" + phone)
                .expectBody()
                .jsonPath("$.devices[0].appId")
                .isEqualTo("shop");
        post("/api/v1/users/{id}/devices", device(phone, "android"), ana)
                .expectStatus()
                .isOk();
        assertThat(profile(ana).devices()).hasSize(1);

        // the same phone signs in as another user: the token moves, and both profiles are published
        post("/api/v1/users/{id}/devices", device(phone, "android"), bo)
                .expectStatus()
                .isCreated();
        assertThat(profile(ana).devices()).isEmpty();
        assertThat(profile(bo).devices()).extracting(UserProfile.Device::token).containsExactly(phone);
        assertThat(published(ana, 4).getLast().value().devices()).isEmpty();
        assertThat(published(bo, 2).getLast().value().devices())
                .extracting(UserProfile.Device::token)
                .containsExactly(phone);

        delete("/api/v1/users/{id}/devices/{token}", ana, phone).expectStatus().isNotFound();
        delete("/api/v1/users/{id}/devices/{token}", bo, phone).expectStatus().isNoContent();
        assertThat(profile(bo).devices()).isEmpty();
        assertThat(published(bo, 3).getLast().value().devices()).isEmpty();
    }

    @Test
    void registeringADeviceIsValidatedAndNeedsAnExistingUser() {
        String id = newId();
        post("/api/v1/users/{id}/devices", device("t-" + id, "android"), id)
                .expectStatus()
                .isNotFound();
        put(id, Map.of()).expectStatus().isCreated();
        post("/api/v1/users/{id}/devices", Map.of("token", "", "platform", "symbian"), id)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/platform");
        post("/api/v1/users/{id}/devices", Map.of("token", "", "platform", "web"), id)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/token");

        // every token registered can be removed by its URL: one the URL could not carry is refused
        for (String unremovable : List.of("a/b", "a\\b", "a%b", "a;b", "..", "a\tb")) {
            post("/api/v1/users/{id}/devices", device(unremovable, "android"), id)
                    .expectStatus()
                    .isBadRequest()
                    .expectBody()
                    .jsonPath("$.errors[0].pointer")
                    .isEqualTo("#/token");
        }
        // which is why: no such URL reaches the endpoint
        for (String escaped : List.of("a%2Fb", "a%5Cb", "a%25b", "a;b")) {
            exchangeAsWritten(HttpMethod.DELETE, "/api/v1/users/" + id + "/devices/" + escaped)
                    .expectStatus()
                    .isBadRequest()
                    .expectBody()
                    .jsonPath("$.detail")
                    .value(detail -> assertThat((String) detail).startsWith("The request URL is not allowed"));
        }
        // as the Location of one with every other sign FCM's tokens or others might hold
        String signs = "a:b_c-d.e~f+g=h@i!j$k(l)m*n,o'p q";
        URI location = post("/api/v1/users/{id}/devices", device(signs, "web"), id)
                .expectStatus()
                .isCreated()
                .returnResult(Void.class)
                .getResponseHeaders()
                .getLocation();
        exchangeAsWritten(HttpMethod.DELETE, location.toString()).expectStatus().isNoContent();
        assertThat(profile(id).devices()).isEmpty();
    }

    @Test
    void pastAHundredDevicesTheLeastRecentlyRegisteredGoes() {
        String id = newId();
        put(
                        id,
                        Map.of(
                                "devices",
                                java.util.stream.IntStream.range(0, 100)
                                        .mapToObj(i -> device(id + "-" + i, "web"))
                                        .toList()))
                .expectStatus()
                .isCreated();
        // registering an existing token again makes it the most recent
        post("/api/v1/users/{id}/devices", device(id + "-0", "web"), id)
                .expectStatus()
                .isOk();
        post("/api/v1/users/{id}/devices", device(id + "-new", "web"), id)
                .expectStatus()
                .isCreated();

        List<String> tokens =
                profile(id).devices().stream().map(UserProfile.Device::token).toList();
        assertThat(tokens).hasSize(100).contains(id + "-0", id + "-new").doesNotContain(id + "-1");
    }

    @Test
    void preferencesRoundTripThroughPutPatchGetAndTheUsersTopic() {
        String id = newId();
        put(id, Map.of("email", "prefs@example.com")).expectStatus().isCreated();

        http.put()
                .uri("/api/v1/users/{id}/preferences", id)
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of(
                        "channels", Map.of("email", true, "push", false),
                        "categories",
                                Map.of(
                                        "marketing", Map.of("email", false),
                                        "security", Map.of("push", true)),
                        "quietHours", Map.of("start", "22:00", "end", "07:30")))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.categories.marketing.email")
                .isEqualTo(false)
                .jsonPath("$.quietHours.end")
                .isEqualTo("07:30:00");

        // raw JSON: the client's own encoder would drop the null that removes the override
        patch("/api/v1/users/{id}/preferences", """
                        {"categories": {"marketing": null, "billing": {"push": false}}, "channels": {"push": true}}
                        """, id).expectStatus().isOk();

        UserProfile.Preferences expected = new UserProfile.Preferences(
                new UserProfile.ChannelSwitches(true, true),
                Map.of(
                        "security", new UserProfile.ChannelSwitches(null, true),
                        "billing", new UserProfile.ChannelSwitches(null, false)),
                new UserProfile.QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 30)));
        assertThat(get("/api/v1/users/{id}/preferences", id)
                        .expectStatus()
                        .isOk()
                        .expectBody(UserProfile.Preferences.class)
                        .returnResult()
                        .getResponseBody())
                .isEqualTo(expected);
        assertThat(profile(id).preferences()).isEqualTo(expected);
        assertThat(published(id, 3).getLast().value().preferences()).isEqualTo(expected);

        patch("/api/v1/users/{id}/preferences", Map.of("quietHours", Map.of("start", "7pm")), id)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/quietHours/start");
        patch("/api/v1/users/{id}/preferences", Map.of("channels", Map.of("fax", true)), id)
                .expectStatus()
                .isBadRequest();
        // the user's own checks point into this body too (they pointed to #/preferences/…, a member it has not)
        http.put()
                .uri("/api/v1/users/{id}/preferences", id)
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of("quietHours", Map.of("start", "22:00", "end", "22:00")))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The preferences are not valid.")
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/quietHours/end");
        http.put()
                .uri("/api/v1/users/{id}/preferences", id)
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of("quietHours", Map.of("start", "22:00")))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .value(pointer -> assertThat((String) pointer).startsWith("#/quietHours"));
        http.put()
                .uri("/api/v1/users/{id}/preferences", newId())
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of())
                .exchange()
                .expectStatus()
                .isNotFound();
    }
}
