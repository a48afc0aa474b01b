package dev.herald.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.Channel;
import dev.herald.schemas.Template;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocaleResolverTest {

    private static final java.time.Instant NOW = java.time.Instant.parse("2026-11-21T10:00:00Z");

    /** en and pt, each with email and push. */
    private final Template template = new Template(
            "order-shipped", 4, "Order shipped", "orders", false, "en", Map.of("en", content(), "pt", content()), NOW);

    @Test
    void aRegionalTagFallsBackToItsLanguage() {
        assertThat(LocaleResolver.resolve(template, Channel.EMAIL, "pt-BR", null))
                .contains("pt");
    }

    @Test
    void theRequestLocaleWinsOverTheRecipientLocale() {
        assertThat(LocaleResolver.resolve(template, Channel.EMAIL, "en-GB", "pt-BR"))
                .contains("en");
    }

    @Test
    void theRecipientLocaleIsUsedWhenTheRequestHasNone() {
        assertThat(LocaleResolver.resolve(template, Channel.PUSH, null, "pt-PT"))
                .contains("pt");
    }

    @Test
    void anUnknownLocaleEndsAtTheTemplateDefault() {
        assertThat(LocaleResolver.resolve(template, Channel.EMAIL, "de-AT", "fr"))
                .contains("en");
    }

    @Test
    void tagsCompareCaseInsensitively() {
        Template regional = withLocales(Map.of(
                "en", content(),
                "pt-BR", content()));
        assertThat(LocaleResolver.resolve(regional, Channel.EMAIL, "PT-br", null))
                .contains("pt-BR");
    }

    @Test
    void aLocaleWithoutTheChannelsContentIsSkippedForThatChannel() {
        Template pushOnlyInPortuguese = withLocales(Map.of(
                "en", content(), "pt", new Template.Content(null, new Template.PushContent("t", "b", null, null))));
        assertThat(LocaleResolver.resolve(pushOnlyInPortuguese, Channel.EMAIL, "pt", null))
                .contains("en");
        assertThat(LocaleResolver.resolve(pushOnlyInPortuguese, Channel.PUSH, "pt", null))
                .contains("pt");
    }

    @Test
    void noLocaleOnTheChainHasTheChannel() {
        Template emailOnly =
                withLocales(Map.of("en", new Template.Content(new Template.EmailContent("s", null, "t"), null)));
        assertThat(LocaleResolver.resolve(emailOnly, Channel.PUSH, "en", "en")).isEmpty();
    }

    @Test
    void theFallbackChainListsEveryCandidateMostSpecificFirstWithoutRepeats() {
        assertThat(LocaleResolver.fallbackChain("zh-Hant-TW", null, "zh", "en"))
                .containsExactly("zh-hant-tw", "zh-hant", "zh", "en");
    }

    private static Template.Content content() {
        return new Template.Content(
                new Template.EmailContent("s", "<p>h</p>", "t"), new Template.PushContent("t", "b", null, null));
    }

    private Template withLocales(Map<String, Template.Content> locales) {
        return new Template(template.id(), 1, "n", null, false, "en", locales, NOW);
    }
}
