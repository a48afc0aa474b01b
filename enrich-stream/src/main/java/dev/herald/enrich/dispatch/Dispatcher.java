package dev.herald.enrich.dispatch;

import dev.herald.enrich.decision.ChannelPolicy;
import dev.herald.enrich.decision.ChannelPolicy.ChannelDecision;
import dev.herald.enrich.decision.Deferral;
import dev.herald.enrich.decision.Deferral.Hold;
import dev.herald.enrich.scheduling.Deferred;
import dev.herald.platform.config.Durations;
import dev.herald.render.DataSchemas;
import dev.herald.render.RenderException;
import dev.herald.render.Renderer;
import dev.herald.schemas.Channel;
import dev.herald.schemas.EmailMessage;
import dev.herald.schemas.NotificationRequest;
import dev.herald.schemas.PushMessage;
import dev.herald.schemas.Status;
import dev.herald.schemas.StatusEvent;
import dev.herald.schemas.Template;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.kafka.Topic;
import dev.herald.schemas.kafka.Topics;
import dev.herald.schemas.kafka.Violation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a request joined with its recipient and template into a {@link Dispatch}: rejected when it is scheduled
 * too far ahead, when either is unknown or when its data breaks the template's data schema; held back when it is scheduled for later or falls in
 * the recipient's quiet hours; otherwise, per channel, suppressed with a reason, failed when it cannot be rendered into messages
 * the sink will accept, or rendered and dispatched. It never throws: whatever happens to a request is
 * recorded as a status event.
 */
public final class Dispatcher {

    /** The source of the status events enrich-stream records. */
    public static final String SOURCE = "enrich-stream";

    /** Largest rendered message, in bytes, that goes to a lane (the broker's default limit is 1 MiB). */
    public static final int MAX_MESSAGE_BYTES = 900 * 1024;

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    /**
     * How far a {@code scheduledAt} may be past the bound as this host's clock reads it: what ingest-api
     * accepted by its own clock is not refused here for the two clocks' skew.
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final Clock clock;
    private final Duration maxScheduleAhead;

    /**
     * @param maxScheduleAhead how far ahead a request's {@code scheduledAt} may be (give at least ingest-api's
     *     {@code herald.ingest.max-schedule-ahead}); a request scheduled further ahead is rejected
     */
    public Dispatcher(Clock clock, Duration maxScheduleAhead) {
        this.clock = clock;
        this.maxScheduleAhead = maxScheduleAhead;
    }

    /**
     * @param recipient the recipient's profile, or {@code null} when user-api does not know them
     * @param template the template's active version, or {@code null} when template-api does not know it
     * @param heldUntil when the request was held back before and is now released, the time it was held until
     *     ({@link Instant#EPOCH} when that is not known), else {@code null}: it was accepted then, and it is not
     *     held again until that time, whatever this host's clock says
     */
    public Dispatch dispatch(NotificationRequest request, UserProfile recipient, Template template, Instant heldUntil) {
        Instant now = clock.instant();
        Events events = new Events(request, now);
        if (heldUntil == null) {
            events.accepted();
            // ingest-api refuses such a request; one written to the topic directly would be held for as long
            if (request.scheduledAt() != null
                    && request.scheduledAt().isAfter(now.plus(maxScheduleAhead).plus(CLOCK_SKEW))) {
                events.add(
                        Status.REJECTED,
                        null,
                        "scheduledAt " + request.scheduledAt() + " is more than " + Durations.inWords(maxScheduleAhead)
                                + " ahead (herald.enrich.max-schedule-ahead)",
                        Map.of());
                return Dispatch.events(events.list);
            }
        }
        if (recipient == null) {
            events.add(Status.REJECTED, null, "unknown user '" + request.userId() + "'", Map.of());
            return Dispatch.events(events.list);
        }
        if (template == null) {
            events.add(Status.REJECTED, null, "unknown template '" + request.templateId() + "'", Map.of());
            return Dispatch.events(events.list);
        }
        String invalidData = DataSchemas.problem(template, request.data());
        if (invalidData != null) {
            events.add(Status.REJECTED, null, invalidData, Map.of());
            return Dispatch.events(events.list);
        }
        // released by the scheduler's clock, which may run ahead of this host's: judged by this clock alone it could
        // be held again until the same time, and that release would be dropped as a copy of this one
        Instant holdAsOf = heldUntil != null && heldUntil.isAfter(now) ? heldUntil : now;
        Optional<Hold> hold = Deferral.hold(request, recipient, template, holdAsOf);
        if (hold.isPresent()) {
            events.add(
                    Status.SCHEDULED,
                    null,
                    hold.get().description(),
                    Map.of(
                            "until", hold.get().until().toString(),
                            "heldBy", hold.get().reason().wireName()));
            return new Dispatch(
                    events.list,
                    List.of(),
                    List.of(),
                    new Deferred(request, hold.get().until()));
        }
        List<EmailMessage> emails = new ArrayList<>();
        List<PushMessage> pushes = new ArrayList<>();
        Rendering rendering =
                new Rendering(request, recipient, template, DataSchemas.forRendering(template, request.data()), now);
        ChannelPolicy.decide(request, recipient, template).forEach((channel, decision) -> {
            switch (decision) {
                case ChannelDecision.Blocked blocked ->
                    events.add(Status.SUPPRESSED, channel, blocked.reason(), Map.of());
                case ChannelDecision.Allowed allowed -> {
                    String locale = allowed.locale();
                    try {
                        String problem;
                        int messages;
                        if (channel == Channel.EMAIL) {
                            List<EmailMessage> rendered = List.of(rendering.email(locale));
                            problem = unsendable(Topics.emailDeliveries(request.priority()), rendered);
                            emails.addAll(problem == null ? rendered : List.of());
                            messages = rendered.size();
                        } else {
                            List<PushMessage> rendered = rendering.pushes(locale);
                            problem = unsendable(Topics.pushDeliveries(request.priority()), rendered);
                            pushes.addAll(problem == null ? rendered : List.of());
                            messages = rendered.size();
                        }
                        if (problem != null) {
                            events.add(Status.FAILED, channel, problem, Map.of());
                        } else {
                            events.add(
                                    Status.DISPATCHED,
                                    channel,
                                    null,
                                    Map.of(
                                            "locale", locale,
                                            "templateVersion", Integer.toString(template.version()),
                                            "messages", Integer.toString(messages)));
                        }
                    } catch (RenderException e) {
                        events.add(Status.FAILED, channel, "cannot render the template: " + e.getMessage(), Map.of());
                    } catch (RuntimeException e) {
                        log.error("Rendering {} of notification {} failed", channel.wireName(), request.id(), e);
                        events.add(Status.FAILED, channel, "internal error while rendering: " + e, Map.of());
                    }
                }
            }
        });
        return new Dispatch(events.list, emails, pushes, null);
    }

    /** Why the sink could not take {@code messages} (invalid for the lane's schema, or too large), or null. */
    static <M> String unsendable(Topic<String, M> lane, List<M> messages) {
        for (M message : messages) {
            List<Violation> violations = lane.violations(message);
            if (!violations.isEmpty()) {
                return "the rendered message is not valid: " + violations.getFirst();
            }
            int size = lane.valueSerde().serializer().serialize(lane.name(), message).length;
            if (size > MAX_MESSAGE_BYTES) {
                return "the rendered message is " + size + " bytes; at most " + MAX_MESSAGE_BYTES + " can be sent";
            }
        }
        return null;
    }

    /**
     * One request rendered for one recipient with one template.
     *
     * @param data the request's data as the template renders it ({@link DataSchemas#forRendering})
     */
    private record Rendering(
            NotificationRequest request,
            UserProfile recipient,
            Template template,
            Map<String, Object> data,
            Instant now) {

        EmailMessage email(String locale) {
            Renderer.Email email = Renderer.email(template.locales().get(locale).email(), template.layout(), data);
            return new EmailMessage(
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
                    requestedAt(request, now));
        }

        /** One message per device: FCM's v1 API sends to one token at a time. */
        List<PushMessage> pushes(String locale) {
            Renderer.Push push = Renderer.push(template.locales().get(locale).push(), data);
            return recipient.devices().stream()
                    .map(device -> new PushMessage(
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
                            requestedAt(request, now)))
                    .toList();
        }
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
            add(status, channel, reason, details, Map.of());
        }

        /** The request accepted: the one event that carries the client's metadata. */
        void accepted() {
            add(Status.ACCEPTED, null, null, Map.of(), request.metadata());
        }

        private void add(
                Status status,
                Channel channel,
                String reason,
                Map<String, String> details,
                Map<String, String> metadata) {
            list.add(new StatusEvent(
                    request.id(), request.userId(), status, channel, reason, SOURCE, at, details, metadata));
        }
    }
}
