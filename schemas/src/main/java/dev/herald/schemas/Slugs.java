package dev.herald.schemas;

/** Template ids, categories and layout names are slugs, as every schema that names one defines them. */
public final class Slugs {

    /** The pattern of a slug. */
    public static final String PATTERN = "^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$";

    /** What a value that does not match {@link #PATTERN} is told. */
    public static final String MESSAGE = "must be a slug: 1 to 100 lower-case letters, digits, '.', '_' or '-',"
            + " starting and ending with a letter or digit";

    private Slugs() {}
}
