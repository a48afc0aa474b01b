package dev.herald.user.profile;

import dev.herald.platform.validation.LanguageTag;
import dev.herald.platform.validation.TimeZoneId;
import dev.herald.schemas.UserProfile;
import dev.herald.schemas.UserProfile.EmailStatus;
import dev.herald.schemas.UserProfile.Platform;
import dev.herald.schemas.UserProfile.Preferences;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code PUT /api/v1/users/{id}}: the whole profile, replacing what was there. Also what a merge patch
 * applies to, and an item of a batch import (with its {@code id}).
 *
 * @param email email address, or absent
 * @param emailStatus standing of the address; when absent, kept if the address is unchanged, else {@code active}
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
        @Size(max = MAX_DEVICES) List<@Valid @NotNull Device> devices,
        @Valid Preferences preferences) {

    /** Most devices a user may have. */
    public static final int MAX_DEVICES = 100;

    public PutUserRequest {
        devices = devices == null ? List.of() : devices;
    }

    /** The request that would store {@code profile} as it is. */
    static PutUserRequest of(UserProfile profile) {
        return new PutUserRequest(
                profile.email(),
                profile.emailStatus(),
                profile.locale(),
                profile.timeZone(),
                profile.devices().stream()
                        .map(d -> new Device(d.token(), d.platform(), d.appId()))
                        .toList(),
                profile.preferences());
    }

    /** Whether storing this would store what storing {@code other} would (absent preferences are stored as none). */
    boolean storesAs(PutUserRequest other) {
        return other != null && stored().equals(other.stored());
    }

    /** This request as it is stored. */
    PutUserRequest stored() {
        return preferences != null ? this : withPreferences(Preferences.NONE);
    }

    PutUserRequest withEmailStatus(EmailStatus status) {
        return new PutUserRequest(email, status, locale, timeZone, devices, preferences);
    }

    PutUserRequest withDevices(List<Device> devices) {
        return new PutUserRequest(email, emailStatus, locale, timeZone, devices, preferences);
    }

    PutUserRequest withPreferences(Preferences preferences) {
        return new PutUserRequest(email, emailStatus, locale, timeZone, devices, preferences);
    }

    /**
     * @param token FCM registration token; none holds a character the device's URL could not carry ({@link
     *     #TOKEN_PATTERN})
     * @param platform {@code android}, {@code ios} or {@code web}
     * @param appId the client app, or absent
     */
    public record Device(
            @NotBlank @Size(max = 4096) @Pattern(regexp = TOKEN_PATTERN, message = TOKEN_MESSAGE) String token,

            @NotNull Platform platform,
            @Size(max = 256) String appId) {}

    /**
     * A device is removed by its token in the URL ({@code DELETE …/devices/{token}}), and the firewall refuses a
     * path holding {@code %2F}, {@code %5C}, {@code %25}, {@code ;} or a control character, or a segment {@code .}
     * or {@code ..}: a token with one of them could be registered and never removed that way. FCM's tokens hold
     * none.
     */
    static final String TOKEN_PATTERN = "^(?!\\.{1,2}$)[^/\\\\%;\\p{Cntrl}]*$";

    static final String TOKEN_MESSAGE =
            "must not hold / \\ % ; or a control character, nor be . or ..: a device is removed by its token in the URL";
}
