package dev.herald.platform.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A problem-details answer of one operation beyond those every operation gives ({@link ProblemResponses}), listed
 * in the OpenAPI document with the {@code Problem} schema.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(ProblemAnswer.List.class)
public @interface ProblemAnswer {

    /** The HTTP status. */
    int status();

    /** When the operation answers it. */
    String when();

    /** Several answers of one operation. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        ProblemAnswer[] value();
    }
}
