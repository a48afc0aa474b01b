package dev.herald.enrich.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.enrich.Fixtures;
import dev.herald.enrich.decision.ChannelPolicy.ChannelDecision;
import dev.herald.schemas.Channel;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.Priority;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.UserProfile.ChannelSwitches;
import dev.herald.schemas.UserProfile.Preferences;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChannelPolicyTest {

    private final Template template = Fixtures.orderShipped();

    @Test
    void everyChannelTheTemplateHasIsUsedWhenNoneIsRequested() {
        Map<Channel, ChannelDecision> decisions =
                ChannelPolicy.decide(Fixtures.request("ana", "order-shipped"), Fixtures.ana(), template);

        assertThat(decisions)
                .containsEntry(Channel.EMAIL, new ChannelDecision.Allowed("pt"))
                .containsEntry(Channel.PUSH, new ChannelDecision.Allowed("pt"));
    }

    @Test
    void onlyRequestedChannelsAreConsidered() {
        NotificationRequest pushOnly = Fixtures.request("ana", "order-shipped", Priority.NORMAL, List.of(Channel.PUSH));

        assertThat(ChannelPolicy.decide(pushOnly, Fixtures.ana(), template)).containsOnlyKeys(Channel.PUSH);
    }

    @Test
    void aRecipientWithoutAddressOrDevicesCannotBeReached() {
        UserProfile unreachable = new UserProfile("bo", null, null, "en", null, List.of(), null, Fixtures.NOW, 1);

        assertThat(ChannelPolicy.decide(Fixtures.request("bo", "order-shipped"), unreachable, template))
                .containsEntry(Channel.EMAIL, new ChannelDecision.Blocked("the recipient has no active email address"))
                .containsEntry(Channel.PUSH, new ChannelDecision.Blocked("the recipient has no push device"));
    }

    @Test
    void aBouncedAddressIsNotUsed() {
        UserProfile ana = Fixtures.ana();
        UserProfile bounced = new UserProfile(
                ana.id(),
                ana.email(),
                UserProfile.EmailStatus.BOUNCED,
                ana.locale(),
                ana.timeZone(),
                ana.devices(),
                ana.preferences(),
                ana.updatedAt(),
                ana.revision() + 1);

        assertThat(ChannelPolicy.decide(Fixtures.request("ana", "order-shipped"), bounced, template)
                        .get(Channel.EMAIL))
                .isInstanceOf(ChannelDecision.Blocked.class);
    }

    @Test
    void aCategorySwitchWinsOverTheGlobalSwitch() {
        Preferences preferences = new Preferences(
                new ChannelSwitches(false, true), Map.of("orders", new ChannelSwitches(true, false)), null);
        UserProfile ana = Fixtures.withPreferences(Fixtures.ana(), preferences);

        assertThat(ChannelPolicy.decide(Fixtures.request("ana", "order-shipped"), ana, template))
                .containsEntry(Channel.EMAIL, new ChannelDecision.Allowed("pt"))
                .containsEntry(
                        Channel.PUSH, new ChannelDecision.Blocked("the recipient turned push off for category orders"));
    }

    @Test
    void theReasonNamesTheSwitchThatDecidedAndTheRequestsCategoryReplacesTheTemplates() {
        // push off everywhere, email off for marketing only
        Preferences preferences = new Preferences(
                new ChannelSwitches(null, false), Map.of("marketing", new ChannelSwitches(false, null)), null);
        UserProfile ana = Fixtures.withPreferences(Fixtures.ana(), preferences);
        NotificationRequest marketing = new NotificationRequest(
                UUID.randomUUID(), "ana", "order-shipped", Map.of(), null, "marketing", null, null, null, null, null);

        assertThat(ChannelPolicy.decide(marketing, ana, template))
                .containsEntry(
                        Channel.EMAIL,
                        new ChannelDecision.Blocked("the recipient turned email off for category marketing"))
                // marketing has no push switch: the global one decided (it was said to be marketing's)
                .containsEntry(Channel.PUSH, new ChannelDecision.Blocked("the recipient turned push off"));
        assertThat(ChannelPolicy.decide(Fixtures.request("ana", "order-shipped"), ana, template))
                .containsEntry(Channel.EMAIL, new ChannelDecision.Allowed("pt"));
    }

    @Test
    void aCriticalTemplateIgnoresOptOuts() {
        Preferences everythingOff = new Preferences(new ChannelSwitches(false, false), Map.of(), null);
        UserProfile ana = Fixtures.withPreferences(Fixtures.ana(), everythingOff);
        Template critical =
                new Template("password-reset", 1, "Reset", "security", true, "en", template.locales(), Fixtures.NOW);

        assertThat(ChannelPolicy.decide(Fixtures.request("ana", "password-reset"), ana, critical)
                        .values())
                .allMatch(ChannelDecision.Allowed.class::isInstance);
    }

    @Test
    void aChannelTheTemplateLacksIsBlocked() {
        Template emailOnly = new Template(
                "t",
                1,
                "n",
                null,
                false,
                "en",
                Map.of("en", new Template.Content(new Template.EmailContent("s", null, "t"), null)),
                Fixtures.NOW);

        assertThat(ChannelPolicy.decide(Fixtures.request("ana", "t"), Fixtures.ana(), emailOnly))
                .containsEntry(Channel.PUSH, new ChannelDecision.Blocked("the template has no push content"));
    }
}
