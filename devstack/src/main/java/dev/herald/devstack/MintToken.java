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
        if (args.length == 0) {
            fail("usage: mint-token.sh [scope ...] [--ttl 10m] [--client name]");
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
                        fail("unknown scope '" + args[i] + "'; Herald's scopes are " + Tokens.ALL_SCOPES);
                    }
                    scopes.add(args[i]);
                }
            }
        }
        System.out.println(Tokens.mint(secret, client, scopes, ttl));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            fail(option + " needs a value");
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
            fail("--ttl takes a duration such as 90s, 10m or 2h, not '" + text + "'");
            return null;
        }
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
