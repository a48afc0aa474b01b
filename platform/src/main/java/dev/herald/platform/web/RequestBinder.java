package dev.herald.platform.web;

import dev.herald.schemas.kafka.JsonPointers;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds and validates a JSON document that arrived inside a larger request (an item of a batch, the result of a
 * merge patch) the way Spring binds a whole {@code @Valid @RequestBody}: unknown members, wrong types and bean
 * validation failures become {@link FieldError}s pointing into the document.
 */
public final class RequestBinder {

    private final JsonMapper json;
    private final Validator validator;

    public RequestBinder(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /**
     * {@code document} as a valid {@code type}.
     *
     * @param at JSON Pointer fragment of the document within the request body, {@code #} for the whole body
     * @throws InvalidRequestException listing every invalid member, or the member that could not be read
     */
    public <T> T bind(JsonNode document, Class<T> type, String at) {
        T value;
        try {
            value = json.treeToValue(document, type);
        } catch (JacksonException e) {
            throw new InvalidRequestException("The request body has invalid fields.", List.of(error(e, at)));
        }
        if (value == null) {
            throw new InvalidRequestException(
                    "The request body has invalid fields.", List.of(FieldError.body(at, "must be an object")));
        }
        List<FieldError> errors = violations(value, at);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The request body has invalid fields.", errors);
        }
        return value;
    }

    /** The bean validation failures of {@code value}, located under {@code at}. */
    public List<FieldError> violations(Object value, String at) {
        return validator.validate(value).stream()
                .map(violation -> FieldError.body(
                        at + pointer(violation.getPropertyPath()).substring(1), violation.getMessage()))
                .sorted(Comparator.comparing(FieldError::pointer))
                .toList();
    }

    /**
     * The member a bean validation {@code path} leads to, as a pointer fragment: {@code devices[0].token} is {@code
     * #/devices/0/token}, and a map key is one token however it is spelt.
     */
    static String pointer(jakarta.validation.Path path) {
        StringBuilder pointer = new StringBuilder("#");
        for (jakarta.validation.Path.Node node : path) {
            if (node.isInIterable()) {
                Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
                if (at != null) {
                    pointer.append('/').append(JsonPointers.segment(String.valueOf(at)));
                }
            }
            // a map's or list's element has a name of its own, such as <map value>, which is no member
            if (node.getName() != null && node.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                pointer.append('/').append(JsonPointers.segment(node.getName()));
            }
        }
        return pointer.toString();
    }

    /** {@code devices[0].token} as the pointer {@code #/devices/0/token}. */
    static String pointer(String field) {
        return "#/" + field.replace("[", "/").replace("]", "").replace('.', '/');
    }

    /** The member a Jackson failure is about, under {@code at}, and what is wrong with it. */
    static FieldError error(JacksonException e, String at) {
        String pointer = at
                + e.getPath().stream()
                        .map(ref -> "/"
                                + (ref.getPropertyName() != null
                                        ? JsonPointers.segment(ref.getPropertyName())
                                        : String.valueOf(ref.getIndex())))
                        .collect(Collectors.joining());
        if (e instanceof UnrecognizedPropertyException unknown) {
            return FieldError.body(pointer, "unknown property '" + unknown.getPropertyName() + "'");
        }
        if (e instanceof NulFreeStrings.NulCharacterException) {
            return FieldError.body(pointer, NulFreeStrings.NulCharacterException.DETAIL);
        }
        if (e instanceof MismatchedInputException mismatch) {
            return FieldError.body(pointer, "must be " + describe(mismatch.getTargetType()));
        }
        if (e instanceof InputCoercionException outOfRange) {
            return FieldError.body(pointer, "must be " + describe(outOfRange.getTargetType()) + range(outOfRange));
        }
        return FieldError.body(pointer, "is not valid: " + e.getOriginalMessage());
    }

    private static final java.util.Set<Class<?>> INTEGRAL = java.util.Set.of(
            Integer.class, int.class, Long.class, long.class, Short.class, short.class, Byte.class, byte.class);

    /** The bounds a number out of range for its member had to keep to, where its type has any. */
    private static String range(InputCoercionException e) {
        Class<?> type = e.getTargetType();
        if (type == Integer.class || type == int.class) {
            return " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == Short.class || type == short.class) {
            return " from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE;
        }
        if (type == Byte.class || type == byte.class) {
            return " from " + Byte.MIN_VALUE + " to " + Byte.MAX_VALUE;
        }
        return "";
    }

    /** What a JSON value must look like to bind to {@code type}, in the client's terms. */
    static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.stream(type.getEnumConstants())
                            .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
                            .toList();
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (INTEGRAL.contains(type) || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != char.class)) {
            return "a number";
        }
        if (type == java.util.UUID.class) {
            return "a UUID, such as 0b6f3c9e-2d4a-4f1e-9c3b-7a5d8e1f2a60";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == java.time.LocalTime.class) {
            return "a time of day, HH:mm";
        }
        if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class) {
            return "an RFC 3339 date-time with an offset, such as 2026-01-31T09:00:00Z";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
