package dev.herald.enrich.scheduling;

import dev.herald.schemas.NotificationRequest;
import java.time.Instant;

/**
 * A request held back until {@code until}: it then goes through enrich-stream again, with the recipient's
 * and the template's state at that time.
 */
public record Deferred(NotificationRequest request, Instant until) {}
