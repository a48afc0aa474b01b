package dev.herald.platform.web;

import java.util.List;

/**
 * A request that passed bean validation but breaks a rule only the service can check, e.g. two devices
 * with the same token. Answered as a 400 problem listing {@link #errors()}.
 */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidRequestException(String detail, List<FieldError> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
