package dev.herald.enrich.dispatch;

import dev.herald.enrich.decision.ChannelPolicy;
import dev.herald.enrich.decision.ChannelPolicy.ChannelDecision;
import dev.herald.enrich.render.RenderException;
import dev.herald.enrich.render.Renderer;
import dev.herald.schemas.Channel;
import dev.herald.schemas.EmailMessage;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.PushMessage;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a request joined with its recipient and template into a {@link Dispatch}: rejected when either is
 * unknown; otherwise, per channel, suppressed with a reason, failed when it cannot be rendered, or rendered
 * and dispatched.
 */
public final class Dispatcher {

    static final String SOURCE = "enrich-stream";

    private final Clock clock;

    public Dispatcher(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param recipient the recipient's profile, or {@code null} when user-api does not know them
     * @param template the template's active version, or {@code null} when template-api does not know it
     */
    public Dispatch dispatch(NotificationRequest request, UserProfile recipient, Template template) {
        Instant now = clock.instant();
        Events events = new Events(request, now);
        events.add(Status.ACCEPTED, null, null, Map.of());
        if (recipient == null) {
            events.add(Status.REJECTED, null, "unknown user '" + request.userId() + "'", Map.of());
            return new Dispatch(events.list, List.of(), List.of());
        }
        if (template == null) {
            events.add(Status.REJECTED, null, "unknown template '" + request.templateId() + "'", Map.of());
            return new Dispatch(events.list, List.of(), List.of());
        }
        List<EmailMessage> emails = new ArrayList<>();
        List<PushMessage> pushes = new ArrayList<>();
        ChannelPolicy.decide(request, recipient, template).forEach((channel, decision) -> {
            switch (decision) {
                case ChannelDecision.Blocked blocked ->
                    events.add(Status.SUPPRESSED, channel, blocked.reason(), Map.of());
                case ChannelDecision.Allowed allowed -> {
                    try {
                        int rendered = channel == Channel.EMAIL
                                ? addEmail(request, recipient, template, allowed.locale(), now, emails)
                                : addPushes(request, recipient, template, allowed.locale(), now, pushes);
                        events.add(
                                Status.DISPATCHED,
                                channel,
                                null,
                                Map.of(
                                        "locale", allowed.locale(),
                                        "templateVersion", Integer.toString(template.version()),
                                        "messages", Integer.toString(rendered)));
                    } catch (RenderException e) {
                        events.add(Status.FAILED, channel, "cannot render the template: " + e.getMessage(), Map.of());
                    }
                }
            }
        });
        return new Dispatch(events.list, emails, pushes);
    }

    private static int addEmail(
            NotificationRequest request,
            UserProfile recipient,
            Template template,
            String locale,
            Instant now,
            List<EmailMessage> out) {
        Renderer.Email email = Renderer.email(template.locales().get(locale).email(), request.data());
        out.add(new EmailMessage(
                request.id(),
                recipient.id(),
                template.id(),
                template.version(),
                locale,
                category(request, template),
                recipient.email(),
                email.subject(),
                email.html(),
                email.text(),
                request.priority(),
                requestedAt(request, now)));
        return 1;
    }

    private static int addPushes(
            NotificationRequest request,
            UserProfile recipient,
            Template template,
            String locale,
            Instant now,
            List<PushMessage> out) {
        Renderer.Push push = Renderer.push(template.locales().get(locale).push(), request.data());
        for (UserProfile.Device device : recipient.devices()) {
            out.add(new PushMessage(
                    request.id(),
                    recipient.id(),
                    template.id(),
                    template.version(),
                    locale,
                    category(request, template),
                    device.token(),
                    device.platform(),
                    push.title(),
                    push.body(),
                    push.data(),
                    push.imageUrl(),
                    request.priority(),
                    requestedAt(request, now)));
        }
        return recipient.devices().size();
    }

    private static String category(NotificationRequest request, Template template) {
        return request.category() != null ? request.category() : template.category();
    }

    /** Direct producers may leave {@code requestedAt} out; then the request's first processing time stands in. */
    private static Instant requestedAt(NotificationRequest request, Instant now) {
        return request.requestedAt() != null ? request.requestedAt() : now;
    }

    /** Collects the status events of one request. */
    private static final class Events {
        private final NotificationRequest request;
        private final Instant at;
        private final List<StatusEvent> list = new ArrayList<>();

        Events(NotificationRequest request, Instant at) {
            this.request = request;
            this.at = at;
        }

        void add(Status status, Channel channel, String reason, Map<String, String> details) {
            list.add(new StatusEvent(request.id(), request.userId(), status, channel, reason, SOURCE, at, details));
        }
    }
}
