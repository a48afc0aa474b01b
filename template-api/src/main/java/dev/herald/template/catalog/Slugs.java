package dev.herald.template.catalog;

/** Template ids and categories are slugs, as the {@code templates} topic's schema defines them. */
final class Slugs {

    static final String PATTERN = "^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$";
    static final String MESSAGE = "must be a slug: lower-case letters, digits, '.', '_' or '-', at most 100";

    private Slugs() {}
}
