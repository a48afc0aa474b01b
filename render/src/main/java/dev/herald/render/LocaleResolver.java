package dev.herald.render;

import dev.herald.schemas.Channel;
import dev.herald.schemas.Template;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Picks the locale a channel is rendered in: the request's locale, else the recipient's, else the
 * template's default, each falling back from the most specific tag to its language ({@code pt-BR} → {@code
 * pt}) before the next candidate is tried. Tags compare case-insensitively.
 */
public final class LocaleResolver {

    private LocaleResolver() {}

    /**
     * The key of {@code template.locales()} to render {@code channel} in, or empty when no locale on the
     * fallback chain has content for that channel.
     */
    public static Optional<String> resolve(
            Template template, Channel channel, String requestLocale, String recipientLocale) {
        for (String tag : fallbackChain(requestLocale, recipientLocale, template.defaultLocale())) {
            Optional<String> key = template.locales().keySet().stream()
                    .filter(k -> k.equalsIgnoreCase(tag))
                    .filter(k -> template.locales().get(k).has(channel))
                    .findFirst();
            if (key.isPresent()) {
                return key;
            }
        }
        return Optional.empty();
    }

    /** {@code pt-BR, en-GB, en} gives {@code pt-BR, pt, en-GB, en}: every candidate, most specific first. */
    static List<String> fallbackChain(String... candidates) {
        List<String> chain = new ArrayList<>();
        Stream.of(candidates).filter(Objects::nonNull).forEach(tag -> {
            List<String> subtags = Arrays.asList(tag.split("-"));
            for (int n = subtags.size(); n > 0; n--) {
                String prefix = String.join("-", subtags.subList(0, n)).toLowerCase(Locale.ROOT);
                if (!chain.contains(prefix)) {
                    chain.add(prefix);
                }
            }
        });
        return chain;
    }
}
