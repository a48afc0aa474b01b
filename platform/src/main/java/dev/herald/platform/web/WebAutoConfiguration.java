package dev.herald.platform.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.validation.Validator;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem details for every error, JSON members named twice refused, request bodies read before the answer even
 * when nothing needed them, connections read again after every answer (and closed after it once the app is
 * stopping), and an OpenAPI document that declares the bearer scheme and the problem answers.
 */
@AutoConfiguration
public class WebAutoConfiguration {

    /**
     * A document that names a member twice is refused (400) rather than read as its last value: a client, a proxy
     * and Herald could each read another value (RFC 7493's I-JSON forbids it).
     */
    @Bean
    JsonMapperBuilderCustomizer refuseDuplicateMembers() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
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
