package dev.herald.devstack;

import java.util.Locale;

/** The Herald apps devstack runs, with their default ports. */
public enum App {
    INGEST_API(8080),
    USER_API(8081),
    TEMPLATE_API(8082),
    ENRICH_STREAM(8083),
    EMAIL_SINK(8084),
    PUSH_SINK(8085);

    private final int defaultPort;

    App(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** Module and jar name, e.g. {@code user-api}. */
    public String moduleName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public int defaultPort() {
        return defaultPort;
    }
}
