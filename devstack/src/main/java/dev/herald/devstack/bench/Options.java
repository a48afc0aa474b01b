package dev.herald.devstack.bench;

import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} options of the benchmark commands. */
public final class Options {

    private Options() {}

    /** {@code --duration 20 --warmup 5} as {@code {duration=20, warmup=5}}. */
    public static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
