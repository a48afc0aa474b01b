package dev.herald.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemResponsesTest {

    @Test
    void apiOperationsGetTheProblemAnswersTheyDoNotDocumentYetAndOthersNone() {
        Operation read = new Operation()
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("the user")));
        Operation write = new Operation()
                .requestBody(new RequestBody())
                .responses(new ApiResponses().addApiResponse("400", new ApiResponse().description("its own 400")));
        Operation health = new Operation().responses(new ApiResponses());
        OpenAPI openApi = new OpenAPI()
                .paths(new Paths()
                        .addPathItem(
                                "/api/v1/users/{id}", new PathItem().get(read).put(write))
                        .addPathItem("/actuator/health", new PathItem().get(health)));

        ProblemResponses.everyApi().customise(openApi);
        ProblemResponses.bodyTooLarge().customise(openApi);
        new ProblemResponses("/api/v1/users", Map.of("503", "database away"), operation -> true).customise(openApi);

        assertThat(read.getResponses()).containsOnlyKeys("200", "400", "401", "403", "500", "503");
        assertThat(write.getResponses()).containsOnlyKeys("400", "401", "403", "413", "500", "503");
        assertThat(write.getResponses().get("400").getDescription()).isEqualTo("its own 400");
        assertThat(health.getResponses()).isEmpty();
        assertThat(read.getResponses()
                        .get("401")
                        .getContent()
                        .get("application/problem+json")
                        .getSchema()
                        .get$ref())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(openApi.getComponents().getSchemas().get("Problem").getProperties())
                .containsKeys("type", "title", "status", "detail", "instance", "errors");
    }
}
