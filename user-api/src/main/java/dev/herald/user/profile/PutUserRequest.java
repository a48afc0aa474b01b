package dev.herald.user.profile;

import dev.herald.platform.validation.LanguageTag;
import dev.herald.platform.validation.TimeZoneId;
import dev.herald.schemas.UserProfile.EmailStatus;
import dev.herald.schemas.UserProfile.Platform;
import dev.herald.schemas.UserProfile.Preferences;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code PUT /api/v1/users/{id}}: the whole profile, replacing what was there.
 *
 * @param email email address, or absent
 * @param emailStatus standing of the address; {@code active} when absent
 * @param locale BCP 47 language tag
 * @param timeZone IANA time zone id
 * @param devices push devices; a token registered to another user moves to this one
 * @param preferences channel switches and quiet hours
 */
public record PutUserRequest(
        @Email(regexp = ".+@.+\\..+") @Size(max = 254) String email,
        EmailStatus emailStatus,
        @LanguageTag String locale,
        @TimeZoneId String timeZone,
        @Size(max = 100) List<@Valid @NotNull Device> devices,
        @Valid Preferences preferences) {

    public PutUserRequest {
        devices = devices == null ? List.of() : devices;
    }

    /**
     * @param token FCM registration token
     * @param platform {@code android}, {@code ios} or {@code web}
     * @param appId the client app, or absent
     */
    public record Device(
            @NotBlank @Size(max = 4096) String token,
            @NotNull Platform platform,
            @Size(max = 256) String appId) {}
}
