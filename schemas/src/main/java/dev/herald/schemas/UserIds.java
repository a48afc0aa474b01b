package dev.herald.schemas;

/** User ids as every schema that names a user allows them ({@code $defs/userId}): safe in URLs and logs. */
public final class UserIds {

    /** The pattern of a user id. */
    public static final String PATTERN = "^[A-Za-z0-9._:@+=~-]{1,128}$";

    /** What a user id that does not match {@link #PATTERN} is told. */
    public static final String MESSAGE = "must be 1 to 128 letters, digits or . _ : @ + = ~ -";

    private UserIds() {}
}
