package dev.herald.platform.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.validation.Validator;
import java.time.LocalTime;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.webflux.autoconfigure.WebFluxRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Problem details for every error, JSON answers whatever else a request would take, JSON members named twice and values of the wrong type refused, request bodies read before the answer even
 * when nothing needed them, connections read again after every answer (and closed after it once the app is
 * stopping), and an OpenAPI document that declares the bearer scheme and the problem answers.
 */
@AutoConfiguration
public class WebAutoConfiguration {

    static {
        // a time of day is written as 22:00, which the OpenAPI document should say rather than "a string"
        SpringDocUtils.getConfig()
                .replaceWithSchema(
                        LocalTime.class,
                        new StringSchema()
                                .pattern("^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$")
                                .example("22:00")
                                .description("a time of day, HH:mm (seconds, HH:mm:ss, are kept if given)"));
    }

    /**
     * A document that names a member twice is refused (400) rather than read as its last value: a client, a proxy
     * and Herald could each read another value (RFC 7493's I-JSON forbids it). A value of the wrong JSON type is
     * refused too rather than converted (Jackson's default): a number or boolean where a string belongs ({@code
     * "userId": 42} would be accepted as {@code "42"}, a recipient nobody meant), a string where a number or boolean
     * belongs, a number where a name from a list belongs (read as its position in the list). A string holding
     * the NUL character is refused too ({@link NulFreeStrings}).
     */
    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(NulFreeStrings.module())
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .withCoercionConfig(
                        LogicalType.Textual,
                        text -> text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                // 2.7 is not version 2
                .withCoercionConfig(
                        LogicalType.Integer,
                        integer -> integer.setCoercion(CoercionInputShape.Float, CoercionAction.Fail));
    }

    /** A REST endpoint answers JSON, and a request that takes no JSON is refused before it runs: {@link JsonAnswers}. */
    @Bean
    WebFluxRegistrations jsonAnswers() {
        return new WebFluxRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new JsonAnswers();
            }
        };
    }

    @Bean
    Problems problems(JsonMapper jsonMapper) {
        return new Problems(jsonMapper);
    }

    @Bean
    ProblemDetailsExceptionHandler problemDetailsExceptionHandler(Problems problems) {
        return new ProblemDetailsExceptionHandler(problems);
    }

    @Bean
    DrainUnreadBody drainUnreadBody() {
        return new DrainUnreadBody();
    }

    @Bean
    AfterEachAnswer afterEachAnswer() {
        return new AfterEachAnswer();
    }

    @Bean
    NettyServerCustomizer afterEachAnswerOnEveryConnection(AfterEachAnswer afterEachAnswer) {
        return afterEachAnswer.customizer();
    }

    @Bean
    OpenApiCustomizer commonProblemResponses() {
        return ProblemResponses.common();
    }

    @Bean
    OperationCustomizer problemAnswers() {
        return ProblemResponses.annotated();
    }

    @Bean
    RequestBinder requestBinder(JsonMapper jsonMapper, Validator validator) {
        return new RequestBinder(jsonMapper, validator);
    }

    @Bean
    @ConditionalOnMissingBean
    OpenAPI heraldOpenApi(@Value("${spring.application.name:herald}") String application) {
        return new OpenAPI()
                .info(new Info()
                        .title("Herald " + application)
                        .description("Part of Herald, a notification platform built on Kafka Streams."))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
