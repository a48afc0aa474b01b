package dev.herald.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.UserProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;

class BatchImportIT extends UserApiTestBase {

    @Test
    void goodItemsAreStoredAndBadOnesGetTheirOwnProblemInRequestOrder() {
        String existing = newId();
        put(existing, Map.of("email", "old@example.com")).expectStatus().isCreated();
        String fresh = newId();
        String shared = "batch-token-" + UUID.randomUUID();

        List<Object> users = List.of(
                Map.of("id", fresh, "email", "fresh@example.com", "devices", List.of(device(shared, "ios"))),
                Map.of("id", existing, "email", "new@example.com"),
                Map.of("id", newId(), "email", "not-an-address", "timeZone", "Nowhere/Else"),
                Map.of("email", "no-id@example.com"),
                Map.of("id", fresh, "locale", "en"),
                Map.of("id", newId(), "devices", List.of(device(shared, "web"))),
                Map.of("id", newId(), "favouriteColour", "red"),
                "not an object");

        List<Map<String, Object>> results = importUsers(users);

        assertThat(results).extracting(r -> r.get("index")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(results).extracting(r -> r.get("status")).containsExactly(201, 200, 400, 400, 400, 400, 400, 400);
        assertThat(pointers(results.get(2))).containsExactlyInAnyOrder("#/users/2/email", "#/users/2/timeZone");
        assertThat(pointers(results.get(3))).containsExactly("#/users/3/id");
        assertThat(pointers(results.get(4))).containsExactly("#/users/4/id");
        // a missing id is said to be missing (it was "must be a string")
        assertThat(details(results.get(3))).containsExactly("is required");
        assertThat(details(results.get(4))).containsExactly("is also the id of item 0");
        assertThat(pointers(results.get(5))).containsExactly("#/users/5/devices/0/token");
        assertThat(pointers(results.get(6))).containsExactly("#/users/6/favouriteColour");
        assertThat(pointers(results.get(7))).containsExactly("#/users/7");
        assertThat(((Number) results.get(0).get("revision")).longValue())
                .isEqualTo(profile(fresh).revision());

        assertThat(profile(fresh).devices())
                .extracting(UserProfile.Device::token)
                .containsExactly(shared);
        assertThat(profile(existing).email()).isEqualTo("new@example.com");
        assertThat(published(fresh, 1).getFirst().value().email()).isEqualTo("fresh@example.com");
        assertThat(published(existing, 2).getLast().value().email()).isEqualTo("new@example.com");
    }

    @Test
    void aThousandUsersGoInOneRequestAndMoreAreRefused() {
        String prefix = "bulk-" + UUID.randomUUID() + "-";
        List<Object> users = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            // a 300-character device token each takes the body past WebFlux's default limit of 256 KB
            String token = prefix + i + "-" + "t".repeat(300);
            users.add(Map.of(
                    "id",
                    prefix + i,
                    "email",
                    "u" + i + "@bulk.example.com",
                    "locale",
                    "en",
                    "devices",
                    List.of(device(token, "android"))));
        }
        List<Map<String, Object>> results = importUsers(users);
        assertThat(results)
                .hasSize(1000)
                .allSatisfy(r -> assertThat(r.get("status")).isEqualTo(201));
        assertThat(profile(prefix + 999).email()).isEqualTo("u999@bulk.example.com");
        assertThat(published(prefix + 999, 1)).hasSize(1);

        users.add(Map.of("id", prefix + "1000"));
        post("/api/v1/users:batch", Map.of("users", users))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].pointer")
                .isEqualTo("#/users");
        post("/api/v1/users:batch", Map.of("users", List.of())).expectStatus().isBadRequest();
    }

    @Test
    void aRefusedItemDoesNotClaimItsTokensFromALaterGoodOne() {
        String token = "claimed-" + UUID.randomUUID();
        String good = newId();
        List<Map<String, Object>> results = importUsers(List.of(
                Map.of("id", "not an id!", "devices", List.of(device(token, "ios"))),
                Map.of("id", good, "devices", List.of(device(token, "ios")))));

        assertThat(results).extracting(r -> r.get("status")).containsExactly(400, 201);
        assertThat(profile(good).devices())
                .extracting(UserProfile.Device::token)
                .containsExactly(token);
    }

    private List<Map<String, Object>> importUsers(List<Object> users) {
        Map<String, List<Map<String, Object>>> body = post("/api/v1/users:batch", Map.of("users", users))
                .expectStatus()
                .isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, List<Map<String, Object>>>>() {})
                .returnResult()
                .getResponseBody();
        return body.get("results");
    }

    @SuppressWarnings("unchecked")
    private static List<String> pointers(Map<String, Object> result) {
        return errors(result, "pointer");
    }

    private static List<String> details(Map<String, Object> result) {
        return errors(result, "detail");
    }

    /** The {@code member} of each error of an item's problem. */
    private static List<String> errors(Map<String, Object> result, String member) {
        Map<String, Object> problem = (Map<String, Object>) result.get("problem");
        return ((List<Map<String, Object>>) problem.get("errors"))
                .stream().map(e -> (String) e.get(member)).toList();
    }
}
