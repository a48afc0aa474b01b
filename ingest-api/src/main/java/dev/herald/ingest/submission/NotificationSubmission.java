package dev.herald.ingest.submission;

import dev.herald.platform.validation.LanguageTag;
import dev.herald.schemas.Channel;
import dev.herald.schemas.Priority;
import dev.herald.schemas.Slugs;
import dev.herald.schemas.UserIds;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Body of {@code POST /api/v1/notifications}.
 *
 * @param id the client's id for this notification, so a retried request is not delivered twice; Herald
 *     picks one when absent, the same for each retry under one {@code Idempotency-Key}
 * @param userId the recipient, as known to user-api
 * @param templateId the template slug
 * @param data template variables
 * @param channels channels the sender allows; all the template has when absent
 * @param category preference category (slug)
 * @param priority {@code high}, {@code normal} (default) or {@code low}
 * @param locale BCP 47 tag overriding the recipient's locale
 * @param scheduledAt deliver no earlier than this
 * @param metadata opaque client data returned by status queries
 */
public record NotificationSubmission(
        UUID id,

        @NotNull @Pattern(regexp = UserIds.PATTERN, message = UserIds.MESSAGE) String userId,

        @NotNull @Pattern(regexp = Slugs.PATTERN, message = Slugs.MESSAGE) String templateId,

        Map<String, Object> data,
        @Size(min = 1, max = 2) List<@NotNull Channel> channels,

        @Pattern(regexp = Slugs.PATTERN, message = Slugs.MESSAGE) String category,

        Priority priority,
        @LanguageTag String locale,
        Instant scheduledAt,
        @Size(max = 32) Map<String, @NotNull @Size(max = 512) String> metadata) {}
