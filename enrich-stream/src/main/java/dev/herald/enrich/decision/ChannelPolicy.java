package dev.herald.enrich.decision;

import dev.herald.render.LocaleResolver;
import dev.herald.schemas.Channel;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.UserProfile.ChannelSwitches;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, per channel, whether a notification goes out on it: the channels requested (all when none are)
 * ∩ the channels the template has content for ∩ the channels the recipient can be reached on ∩ the
 * channels the recipient's preferences allow. A critical template ignores preferences.
 */
public final class ChannelPolicy {

    private ChannelPolicy() {}

    /**
     * For each requested channel, the locale to render it in when it may be used, or the reason it may not.
     */
    public static Map<Channel, ChannelDecision> decide(
            NotificationRequest request, UserProfile recipient, Template template) {
        List<Channel> requested = request.channels().isEmpty() ? List.of(Channel.values()) : request.channels();
        String category = request.category() != null ? request.category() : template.category();
        Map<Channel, ChannelDecision> decisions = new EnumMap<>(Channel.class);
        for (Channel channel : requested) {
            Optional<String> locale = LocaleResolver.resolve(template, channel, request.locale(), recipient.locale());
            ChannelDecision decision;
            if (locale.isEmpty()) {
                decision = new ChannelDecision.Blocked("the template has no " + channel.wireName() + " content");
            } else if (!reachable(recipient, channel)) {
                decision = new ChannelDecision.Blocked(
                        channel == Channel.EMAIL
                                ? "the recipient has no active email address"
                                : "the recipient has no push device");
            } else if (!template.critical() && optedOut(recipient, category, channel) != null) {
                decision = new ChannelDecision.Blocked(optedOut(recipient, category, channel));
            } else {
                decision = new ChannelDecision.Allowed(locale.get());
            }
            decisions.put(channel, decision);
        }
        return decisions;
    }

    private static boolean reachable(UserProfile recipient, Channel channel) {
        return switch (channel) {
            case EMAIL -> recipient.reachableByEmail();
            case PUSH -> !recipient.devices().isEmpty();
        };
    }

    /**
     * How the recipient turned {@code channel} off for {@code category}, or {@code null} when they did not. A
     * category switch wins over the global switch; a switch that is not set means on. The reason names the switch
     * that decided: a category's only when the category has one for the channel.
     */
    static String optedOut(UserProfile recipient, String category, Channel channel) {
        ChannelSwitches forCategory =
                category == null ? null : recipient.preferences().categories().get(category);
        if (forCategory != null && forCategory.get(channel) != null) {
            return forCategory.get(channel)
                    ? null
                    : "the recipient turned " + channel.wireName() + " off for category " + category;
        }
        Boolean global = recipient.preferences().channels().get(channel);
        return global == null || global ? null : "the recipient turned " + channel.wireName() + " off";
    }

    /** Whether a channel may be used, and how. */
    public sealed interface ChannelDecision {

        /** The channel is used, rendered in {@code locale}. */
        record Allowed(String locale) implements ChannelDecision {}

        /** The channel is not used, because of {@code reason}. */
        record Blocked(String reason) implements ChannelDecision {}
    }
}
