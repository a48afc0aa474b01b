package dev.herald.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.web.method.HandlerMethod;

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

        assertThat(read.getResponses()).containsOnlyKeys("200", "400", "401", "403", "406", "500", "503");
        assertThat(write.getResponses()).containsOnlyKeys("400", "401", "403", "406", "413", "415", "500", "503");
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

    @Test
    void a412OnlyWhereTheOperationTakesIfMatch() {
        Operation conditional = new Operation()
                .addParametersItem(new HeaderParameter().name("If-Match"))
                .responses(new ApiResponses());
        Operation plain = new Operation()
                .addParametersItem(new PathParameter().name("id"))
                .responses(new ApiResponses());
        OpenAPI openApi = new OpenAPI()
                .paths(new Paths()
                        .addPathItem(
                                "/api/v1/users/{id}",
                                new PathItem().put(conditional).get(plain)));

        ProblemResponses.staleRevision().customise(openApi);

        assertThat(conditional.getResponses()).containsOnlyKeys("412");
        assertThat(plain.getResponses()).isEmpty();
    }

    @Test
    void aMethodsProblemAnswersAreOnItsOperation() throws NoSuchMethodException {
        Operation operation = new Operation().responses(new ApiResponses());

        ProblemResponses.annotated()
                .customize(
                        operation, new HandlerMethod(new Controller(), Controller.class.getDeclaredMethod("delete")));

        assertThat(operation.getResponses()).containsOnlyKeys("404", "409");
        assertThat(operation.getResponses().get("409").getDescription()).isEqualTo("it is in use");
    }

    static class Controller {
        @ProblemAnswer(status = 404, when = "no such thing")
        @ProblemAnswer(status = 409, when = "it is in use")
        void delete() {}
    }
}
