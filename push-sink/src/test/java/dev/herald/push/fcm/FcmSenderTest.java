package dev.herald.push.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.firebase.messaging.MessagingErrorCode;
import dev.herald.platform.delivery.DeliveryOutcome;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FcmSenderTest {

    @ParameterizedTest
    @EnumSource(names = {"UNREGISTERED", "SENDER_ID_MISMATCH", "INVALID_ARGUMENT"})
    void refusalsAboutTheDeviceOrTheRequestAreFinal(MessagingErrorCode code) {
        assertThat(FcmSender.classify(code, "refused", null)).isInstanceOf(DeliveryOutcome.Permanent.class);
    }

    @ParameterizedTest
    @EnumSource(names = {"UNAVAILABLE", "INTERNAL", "QUOTA_EXCEEDED", "THIRD_PARTY_AUTH_ERROR"})
    void failuresOnFcmsSideAreRetried(MessagingErrorCode code) {
        assertThat(FcmSender.classify(code, "busy", null)).isInstanceOf(DeliveryOutcome.Retryable.class);
    }

    @Test
    void noAnswerAtAllIsRetried() {
        assertThat(FcmSender.classify(null, "Connection refused", new IOException("Connection refused")))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo("FCM unreachable: Connection refused"));
    }

    @Test
    void onlyDeadOrForeignTokensAreReportedAsInvalidDevices() {
        assertThat(FcmSender.isDeadToken(MessagingErrorCode.UNREGISTERED)).isTrue();
        assertThat(FcmSender.isDeadToken(MessagingErrorCode.SENDER_ID_MISMATCH)).isTrue();
        assertThat(FcmSender.isDeadToken(MessagingErrorCode.INVALID_ARGUMENT)).isFalse();
        assertThat(FcmSender.isDeadToken(null)).isFalse();
    }
}
