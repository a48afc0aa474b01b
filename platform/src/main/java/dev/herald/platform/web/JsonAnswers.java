package dev.herald.platform.web;

import java.lang.reflect.Method;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint of a {@link RestController} that names no media type it produces produces {@code
 * application/json}, as if it said so. Left open, the type was chosen after the handler had run, from every type
 * a JSON writer can write: a {@code PUT} sent with {@code Accept: text/plain} stored the user and then answered
 * 406, and {@code Accept: application/x-ndjson} or {@code text/event-stream} got a JSON document in that type.
 * Named, a request whose {@code Accept} allows no JSON is refused with 406 before its handler runs, and an answer
 * is {@code application/json} whatever else the request would also take.
 */
final class JsonAnswers extends RequestMappingHandlerMapping {

    @Override
    protected RequestMappingInfo getMappingForMethod(Method method, Class<?> handlerType) {
        RequestMappingInfo info = super.getMappingForMethod(method, handlerType);
        if (info == null
                || !info.getProducesCondition().isEmpty()
                || !AnnotatedElementUtils.hasAnnotation(handlerType, RestController.class)) {
            return info;
        }
        return info.mutate().produces(MediaType.APPLICATION_JSON_VALUE).build();
    }
}
