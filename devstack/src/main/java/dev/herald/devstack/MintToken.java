package dev.herald.devstack;

import dev.herald.testkit.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code .devstack/mint-token.sh}: a bearer token for the running devstack with the scopes asked for, to try a
 * narrower client than the all-scopes token devstack prints (a reader's 403, an expired token's 401).
 *
 * <p>Arguments: the secret file, then scopes, {@code --ttl <duration>} (e.g. {@code 90s}, {@code 10m}, {@code 2h};
 * {@code 0s} for a token that has expired already) and {@code --client <id>} (the rate-limited client).
 */
public final class MintToken {

    private MintToken() {}

    public static void main(String[] args) throws IOException {
        try {
            System.out.println(mint(args));
        } catch (Refused e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /** The token {@code args} ask for; {@link Refused} with what to fix when they ask for none. */
    static String mint(String... args) throws IOException {
        if (args.length == 0) {
            throw new Refused("usage: mint-token.sh [scope ...] [--ttl 10m] [--client name]");
        }
        String secret = Files.readString(Path.of(args[0])).strip();
        List<String> scopes = new ArrayList<>();
        Duration ttl = Duration.ofHours(1);
        String client = "devstack-cli";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--ttl" -> ttl = duration(value(args, ++i, "--ttl"));
                case "--client" -> client = value(args, ++i, "--client");
                default -> {
                    if (!Tokens.ALL_SCOPES.contains(args[i])) {
                        throw new Refused("unknown scope '" + args[i] + "'; Herald's scopes are " + Tokens.ALL_SCOPES);
                    }
                    scopes.add(args[i]);
                }
            }
        }
        return Tokens.mint(secret, client, scopes, ttl);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new Refused(option + " needs a value");
        }
        return args[i];
    }

    /** {@code 90s}, {@code 10m}, {@code 2h}, or an ISO-8601 duration. */
    private static Duration duration(String text) {
        try {
            return text.toUpperCase(Locale.ROOT).startsWith("P")
                    ? Duration.parse(text)
                    : Duration.parse("PT" + text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new Refused("--ttl takes a duration such as 90s, 10m or 2h, not '" + text + "'");
        }
    }

    /** Arguments that ask for no token; the message says what to fix. */
    static final class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message);
        }
    }
}
