package dev.herald.platform.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;

/**
 * Adds to the OpenAPI document the problem-details answers ({@code application/problem+json}, schema {@code
 * Problem}) that operations give besides their success, so clients generated from the document know them. Each
 * instance adds its answers to the operations under its path prefix that do not document that status already.
 */
public final class ProblemResponses implements OpenApiCustomizer {

    static final String SCHEMA = "Problem";

    private final String pathPrefix;
    private final Map<String, String> responses;
    private final Predicate<Operation> applies;

    /**
     * @param pathPrefix operations whose path starts with this get the answers
     * @param responses status code → when it is answered, in the order to list them
     * @param applies which of those operations
     */
    public ProblemResponses(String pathPrefix, Map<String, String> responses, Predicate<Operation> applies) {
        this.pathPrefix = pathPrefix;
        this.responses = new LinkedHashMap<>(responses);
        this.applies = applies;
    }

    /** Every Herald API's problem answers: {@link #everyApi}, {@link #bodyTooLarge}, {@link #staleRevision}. */
    static OpenApiCustomizer common() {
        List<ProblemResponses> all = List.of(everyApi(), bodyTooLarge(), staleRevision());
        return openApi -> all.forEach(responses -> responses.customise(openApi));
    }

    /**
     * The answers of every Herald API operation: invalid input, authentication, scope, an {@code Accept} without
     * JSON, an unexpected error.
     */
    static ProblemResponses everyApi() {
        Map<String, String> common = new LinkedHashMap<>();
        common.put("400", "The request is not valid: `errors` lists each invalid member or parameter");
        common.put("401", "No bearer token, or one that is not valid");
        common.put("403", "The token lacks the scope this operation needs");
        common.put("406", "The request's `Accept` takes no JSON (`application/json`)");
        common.put("500", "An unexpected error; the problem carries no internals");
        return new ProblemResponses("/api/", common, operation -> true);
    }

    /** 412 for every operation that takes an {@code If-Match} header. */
    static ProblemResponses staleRevision() {
        return new ProblemResponses(
                "/api/",
                Map.of("412", "`If-Match` names another revision than the current one"),
                operation -> operation.getParameters() != null
                        && operation.getParameters().stream()
                                .anyMatch(p -> "header".equals(p.getIn()) && "If-Match".equalsIgnoreCase(p.getName())));
    }

    /** The {@link ProblemAnswer}s of each controller method, on its operation. */
    static OperationCustomizer annotated() {
        return (operation, handlerMethod) -> {
            for (ProblemAnswer answer : handlerMethod.getMethod().getAnnotationsByType(ProblemAnswer.class)) {
                if (operation.getResponses() == null) {
                    operation.setResponses(new ApiResponses());
                }
                operation.getResponses().addApiResponse(Integer.toString(answer.status()), problem(answer.when()));
            }
            return operation;
        };
    }

    /** 413 and 415 for every operation that takes a body. */
    static ProblemResponses bodyTooLarge() {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("413", "The body is larger than this API accepts");
        answers.put(
                "415", "The body is not sent as JSON (`application/json`, or another JSON type the operation names)");
        return new ProblemResponses("/api/", answers, operation -> operation.getRequestBody() != null);
    }

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        if (openApi.getComponents().getSchemas() == null
                || !openApi.getComponents().getSchemas().containsKey(SCHEMA)) {
            openApi.getComponents().addSchemas(SCHEMA, problemSchema());
        }
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> {
            if (path.startsWith(pathPrefix)) {
                item.readOperations().stream().filter(applies).forEach(this::add);
            }
        });
    }

    private void add(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        responses.forEach((status, description) -> {
            if (!operation.getResponses().containsKey(status)) {
                operation.getResponses().addApiResponse(status, problem(description));
            }
        });
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                "application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA))));
    }

    /** RFC 9457 problem details, with Herald's {@code errors} member. */
    private static Schema<?> problemSchema() {
        ObjectSchema error = new ObjectSchema();
        error.addProperty("pointer", new StringSchema().description("JSON Pointer to the invalid body member"));
        error.addProperty("parameter", new StringSchema().description("the invalid query, path or header parameter"));
        error.addProperty("detail", new StringSchema().description("what is wrong with it"));
        ObjectSchema problem = new ObjectSchema();
        problem.description("RFC 9457 problem details");
        problem.addProperty("type", new StringSchema().format("uri"));
        problem.addProperty("title", new StringSchema());
        problem.addProperty("status", new IntegerSchema());
        problem.addProperty("detail", new StringSchema());
        problem.addProperty("instance", new StringSchema().format("uri-reference"));
        problem.addProperty("errors", new ArraySchema().items(error));
        return problem;
    }
}
