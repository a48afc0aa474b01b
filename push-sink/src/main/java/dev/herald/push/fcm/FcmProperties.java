package dev.herald.push.fcm;

import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How push-sink reaches Firebase Cloud Messaging.
 *
 * @param projectId the Firebase project
 * @param endpoint FCM's base URL; point it at a local stand-in for tests and devstack
 * @param credentialsFile a service account key file; when neither it nor {@code accessToken} is set,
 *     Google's application default credentials are used
 * @param accessToken a fixed bearer token, for local stand-ins only
 * @param timeout connect and read timeout of each FCM call
 */
@Validated
@ConfigurationProperties("herald.push.fcm")
public record FcmProperties(
        @NotBlank String projectId,
        @DefaultValue("https://fcm.googleapis.com") URI endpoint,
        Path credentialsFile,
        String accessToken,
        @DefaultValue("10s") Duration timeout) {}
