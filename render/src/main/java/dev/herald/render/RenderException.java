package dev.herald.render;

/** A template part that cannot be rendered with the data given; the message says which part and why. */
public class RenderException extends RuntimeException {

    public RenderException(String message, Throwable cause) {
        super(message, cause);
    }
}
