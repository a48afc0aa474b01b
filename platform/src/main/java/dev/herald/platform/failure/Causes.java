package dev.herald.platform.failure;

import java.util.Optional;

/** Looks through a failure and its causes, for the wrappers (Reactor, Kafka, Spring) around what went wrong. */
public final class Causes {

    private Causes() {}

    /** The first of {@code failure} and its causes that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code failure} and, when it has one, its innermost cause, in one line for a log: the wrappers' message
     * alone ("Failed to obtain R2DBC Connection") hides what went wrong.
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? failure.toString() : failure + " (cause: " + root + ")";
    }

    /** Whether {@code failure} or one of its causes is of one of {@code types}. */
    public static boolean any(Throwable failure, Class<?>... types) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (Class<?> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }
}
