package dev.herald.platform.web;

import dev.herald.platform.failure.Causes;
import jakarta.validation.ConstraintViolation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.util.StringUtils;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error that reaches the web layer into RFC 9457 problem details: field-level errors for
 * invalid bodies, the framework's own status for routing errors, and a bare 500 (logged, never echoed) for
 * anything unexpected.
 */
@Order(-2) // before Spring Boot's default error handler
public class ProblemDetailsExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsExceptionHandler.class);

    /** Where Jackson says a problem is: its (redacted) source and an offset the streaming decoder does not know. */
    private static final Pattern SOURCE =
            Pattern.compile("\\s*\\(start marker at \\[Source: [^\\]]*]\\)|\\s*(at )?\\[Source: [^\\]]*]");

    private final Problems problems;

    public ProblemDetailsExceptionHandler(Problems problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        return problems.write(exchange, problemFor(exchange, ex));
    }

    private ProblemDetail problemFor(ServerWebExchange exchange, Throwable ex) {
        if (ex instanceof WebExchangeBindException bind) {
            return invalidBody("The request body has invalid fields.", fieldErrors(bind.getFieldErrors()));
        }
        if (ex instanceof HandlerMethodValidationException validation) {
            return invalidBody("The request has invalid fields.", fieldErrors(validation));
        }
        if (Causes.any(ex, DataBufferLimitException.class)) {
            return Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "The request body is larger than this API accepts.");
        }
        if (ex instanceof InvalidRequestException invalid) {
            return invalidBody(invalid.getMessage(), invalid.errors());
        }
        if (ex instanceof ServerWebInputException input) {
            Optional<JacksonException> json = Causes.find(input, JacksonException.class);
            if (json.isPresent()) {
                return unreadableBody(json.get());
            }
            MethodParameter parameter = input.getMethodParameter();
            Optional<TypeMismatchException> mismatch = Causes.find(input, TypeMismatchException.class);
            if (mismatch.isPresent() && parameter != null) {
                return invalidParameter(parameter, mismatch.get());
            }
            // with no JSON to blame, a body that could not be read is one that is not there (or is JSON's null)
            if (parameter != null && parameter.hasParameterAnnotation(RequestBody.class)) {
                return Problems.of(HttpStatus.BAD_REQUEST, "The request needs a JSON object as its body.");
            }
        }
        // one answer for every 415, saying what to send: Spring's does not (a form body gets a bare one)
        if (ex instanceof ErrorResponse unsupported
                && unsupported.getStatusCode().isSameCodeAs(HttpStatus.UNSUPPORTED_MEDIA_TYPE)) {
            exchange.getResponse().getHeaders().addAll(unsupported.getHeaders());
            String sent = exchange.getRequest().getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
            // the JSON types the operation names, where it names its own (a merge patch's): the readers list
            // application/json alone among theirs
            List<String> types = ex instanceof UnsupportedMediaTypeStatusException named
                    ? named.getSupportedMediaTypes().stream()
                            .filter(type -> !type.isWildcardSubtype()
                                    && ("json".equals(type.getSubtype()) || "json".equals(type.getSubtypeSuffix())))
                            .map(MediaType::toString)
                            .toList()
                    : List.of();
            return Problems.of(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "The request body must be JSON, sent with Content-Type: "
                            + (types.isEmpty() ? MediaType.APPLICATION_JSON_VALUE : String.join(" or ", types))
                            + (sent == null
                                    ? " (it came without one)."
                                    : " (it came as " + StringUtils.truncate(sent, 100) + ")."));
        }
        // Spring's lists the types as a Java list and does not say what was asked for
        if (ex instanceof NotAcceptableStatusException notAcceptable
                && !notAcceptable.getSupportedMediaTypes().isEmpty()) {
            return Problems.of(
                    HttpStatus.NOT_ACCEPTABLE,
                    "This endpoint answers "
                            + MediaType.toString(notAcceptable.getSupportedMediaTypes())
                            + ", which the request's Accept ("
                            + StringUtils.truncate(
                                    String.join(
                                            ", ",
                                            exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.ACCEPT)),
                                    100)
                            + ") does not allow.");
        }
        // no handler, so WebFlux looked for a file to serve: "No static resource api/v1/x" misleads an API client
        if (ex instanceof NoResourceFoundException) {
            return Problems.of(
                    HttpStatus.NOT_FOUND,
                    "No endpoint answers "
                            + StringUtils.truncate(
                                    exchange.getRequest().getPath().value(), 200) + ".");
        }
        if (ex instanceof ErrorResponse response) {
            exchange.getResponse().getHeaders().addAll(response.getHeaders());
            return response.getBody();
        }
        log.error(
                "Unhandled error on {} {}",
                exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(),
                ex);
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred.");
    }

    /** A 400 listing each invalid member of the body (or parameter: {@link FieldError}). */
    public static ProblemDetail invalidBody(String detail, List<FieldError> errors) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return problem;
    }

    private static List<FieldError> fieldErrors(List<org.springframework.validation.FieldError> errors) {
        return errors.stream()
                .map(e -> FieldError.body(
                        e.contains(ConstraintViolation.class)
                                ? RequestBinder.pointer(
                                        e.unwrap(ConstraintViolation.class).getPropertyPath())
                                : RequestBinder.pointer(e.getField()),
                        e.getDefaultMessage()))
                .sorted(Comparator.comparing(FieldError::pointer))
                .toList();
    }

    /** Body field errors and parameter errors, as method validation reports them. */
    private static List<FieldError> fieldErrors(HandlerMethodValidationException validation) {
        List<FieldError> errors = new ArrayList<>();
        for (ParameterValidationResult result : validation.getParameterValidationResults()) {
            if (result instanceof ParameterErrors bean) {
                errors.addAll(fieldErrors(bean.getFieldErrors()));
            } else {
                String name = result.getMethodParameter().getParameterName();
                result.getResolvableErrors()
                        .forEach(error -> errors.add(FieldError.parameter(name, error.getDefaultMessage())));
            }
        }
        return errors;
    }

    /** A 400 for a path or query parameter that does not convert to its type (a UUID, a number), by its Java name. */
    private static ProblemDetail invalidParameter(MethodParameter parameter, TypeMismatchException mismatch) {
        return invalidBody(
                "The request has invalid parameters.",
                List.of(FieldError.parameter(
                        parameter.getParameterName(),
                        "must be " + RequestBinder.describe(mismatch.getRequiredType()))));
    }

    private static ProblemDetail unreadableBody(JacksonException cause) {
        if (cause instanceof UnrecognizedPropertyException) {
            return invalidBody(
                    "The request body has members this API does not know.", List.of(RequestBinder.error(cause, "#")));
        }
        if (cause instanceof NulFreeStrings.NulCharacterException) {
            return invalidBody("The request body has invalid fields.", List.of(RequestBinder.error(cause, "#")));
        }
        if (cause instanceof MismatchedInputException mismatch) {
            if (!mismatch.getPath().isEmpty()) {
                return invalidBody(
                        "The request body has members of the wrong type.", List.of(RequestBinder.error(cause, "#")));
            }
            String message = mismatch.getOriginalMessage();
            if (message != null && message.startsWith("Trailing token")) {
                return notJson(": it has more after its value.");
            }
            return Problems.of(
                    HttpStatus.BAD_REQUEST,
                    "The request body must be " + RequestBinder.describe(mismatch.getTargetType()) + ".");
        }
        // a number too large for its member is read as its member is bound, so it has a place to point to
        if (cause instanceof InputCoercionException && !cause.getPath().isEmpty()) {
            return invalidBody(
                    "The request body has members of the wrong type.", List.of(RequestBinder.error(cause, "#")));
        }
        // what the parser found (a member named twice, a stray character, an unclosed object) helps the client and
        // tells nothing else
        if (cause instanceof StreamReadException parse && parse.getOriginalMessage() != null) {
            return notJson(": " + SOURCE.matcher(parse.getOriginalMessage()).replaceAll(""));
        }
        return notJson(".");
    }

    private static ProblemDetail notJson(String found) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "The request body is not valid JSON" + found);
        problem.setTitle("Unreadable request body");
        return problem;
    }
}
