package dev.herald.push.fcm;

import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import dev.herald.platform.delivery.DeliveryOutcome;
import dev.herald.schemas.Priority;
import dev.herald.schemas.PushMessage;
import org.springframework.stereotype.Component;

/**
 * Sends a {@link PushMessage} to its device through FCM's HTTP v1 API. The data payload carries the
 * notification id, so apps can drop a redelivered message. A device FCM no longer knows is reported to
 * {@link DeadTokens} and fails for good.
 */
@Component
public class FcmSender {

    /** Data key under which apps find the notification id. */
    static final String NOTIFICATION_ID = "heraldNotificationId";

    private final FirebaseMessaging fcm;
    private final DeadTokens deadTokens;

    FcmSender(FirebaseMessaging fcm, DeadTokens deadTokens) {
        this.fcm = fcm;
        this.deadTokens = deadTokens;
    }

    public DeliveryOutcome send(PushMessage push) {
        try {
            return new DeliveryOutcome.Sent(fcm.send(message(push)));
        } catch (FirebaseMessagingException e) {
            DeliveryOutcome outcome = classify(e.getMessagingErrorCode(), e.getMessage(), e);
            if (isDeadToken(e.getMessagingErrorCode())) {
                deadTokens.report(push, e.getMessagingErrorCode().name());
            }
            return outcome;
        }
    }

    static Message message(PushMessage push) {
        boolean urgent = push.priority() == Priority.HIGH;
        return Message.builder()
                .setToken(push.token())
                .setNotification(Notification.builder()
                        .setTitle(push.title())
                        .setBody(push.body())
                        .setImage(push.imageUrl())
                        .build())
                .putAllData(push.data())
                .putData(NOTIFICATION_ID, push.notificationId().toString())
                .setAndroidConfig(AndroidConfig.builder()
                        .setPriority(urgent ? AndroidConfig.Priority.HIGH : AndroidConfig.Priority.NORMAL)
                        .build())
                .setApnsConfig(ApnsConfig.builder()
                        .putHeader("apns-priority", urgent ? "10" : "5")
                        .setAps(Aps.builder().build())
                        .build())
                .build();
    }

    /** FCM's error code decides: a dead or foreign token and a bad request are final, the rest may pass. */
    static DeliveryOutcome classify(MessagingErrorCode code, String message, Exception cause) {
        if (code == null) {
            return new DeliveryOutcome.Retryable("FCM unreachable: " + message, cause);
        }
        return switch (code) {
            case UNREGISTERED, SENDER_ID_MISMATCH, INVALID_ARGUMENT ->
                new DeliveryOutcome.Permanent("FCM " + code + ": " + message);
            case UNAVAILABLE, INTERNAL, QUOTA_EXCEEDED, THIRD_PARTY_AUTH_ERROR ->
                new DeliveryOutcome.Retryable("FCM " + code + ": " + message, cause);
        };
    }

    static boolean isDeadToken(MessagingErrorCode code) {
        return code == MessagingErrorCode.UNREGISTERED || code == MessagingErrorCode.SENDER_ID_MISMATCH;
    }
}
