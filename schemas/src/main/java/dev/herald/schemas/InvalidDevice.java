package dev.herald.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * A push token that FCM refused for good: the value of {@code devices.invalid}, keyed by {@code userId}.
 * Schema: {@code herald/schemas/invalid-device.schema.json}.
 *
 * @param userId the token's owner
 * @param token the dead token
 * @param reason FCM's error code, e.g. {@code UNREGISTERED}
 * @param notificationId the notification whose delivery found it, or {@code null}
 * @param detectedAt when FCM refused it
 */
public record InvalidDevice(String userId, String token, String reason, UUID notificationId, Instant detectedAt) {}
