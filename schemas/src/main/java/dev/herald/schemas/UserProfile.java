package dev.herald.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * Everything Herald knows about a recipient: the value of the compacted {@code users} topic, keyed by
 * {@code id}. Schema: {@code herald/schemas/user-profile.schema.json}.
 *
 * @param id the client's own user id
 * @param email email address, or {@code null} when the user has none
 * @param emailStatus whether mail to {@code email} may be sent
 * @param locale BCP 47 language tag, or {@code null}
 * @param timeZone IANA time zone id, or {@code null}
 * @param devices push devices
 * @param preferences channel switches and quiet hours
 * @param updatedAt when the profile last changed
 * @param revision grows with every change of this user's profile, so a reader can tell the newer of two
 */
public record UserProfile(
        String id,
        String email,
        EmailStatus emailStatus,
        String locale,
        String timeZone,
        List<Device> devices,
        Preferences preferences,
        Instant updatedAt,
        long revision) {

    public UserProfile {
        emailStatus = emailStatus == null ? EmailStatus.ACTIVE : emailStatus;
        devices = devices == null ? List.of() : List.copyOf(devices);
        preferences = preferences == null ? Preferences.NONE : preferences;
    }

    /** Whether email may be sent to this user at all (an address that has not bounced or complained). */
    public boolean reachableByEmail() {
        return email != null && emailStatus == EmailStatus.ACTIVE;
    }

    /** Standing of the user's email address. */
    public enum EmailStatus {
        @JsonProperty("active")
        ACTIVE,
        @JsonProperty("bounced")
        BOUNCED,
        @JsonProperty("complained")
        COMPLAINED
    }

    /** Operating system family of a push device. */
    public enum Platform {
        @JsonProperty("android")
        ANDROID,
        @JsonProperty("ios")
        IOS,
        @JsonProperty("web")
        WEB
    }

    /**
     * A push device.
     *
     * @param token FCM registration token
     * @param platform device platform
     * @param appId the client app the token belongs to, or {@code null}
     */
    public record Device(String token, Platform platform, String appId) {}

    /**
     * Channel switches, per-category overrides and quiet hours.
     *
     * @param channels global switches; an absent switch means on
     * @param categories per-category overrides of {@code channels}
     * @param quietHours a daily window in the user's time zone, or {@code null}
     */
    public record Preferences(
            ChannelSwitches channels, Map<String, ChannelSwitches> categories, QuietHours quietHours) {

        /** No preferences: every channel on, no quiet hours. */
        public static final Preferences NONE = new Preferences(null, null, null);

        public Preferences {
            channels = channels == null ? ChannelSwitches.UNSET : channels;
            categories = categories == null ? Map.of() : Map.copyOf(categories);
        }
    }

    /**
     * On/off switches per channel; {@code null} means not set.
     *
     * @param email email switch
     * @param push push switch
     */
    public record ChannelSwitches(Boolean email, Boolean push) {

        /** Nothing set. */
        public static final ChannelSwitches UNSET = new ChannelSwitches(null, null);

        /** The switch for {@code channel}, or {@code null} when not set. */
        public Boolean get(Channel channel) {
            return switch (channel) {
                case EMAIL -> email;
                case PUSH -> push;
            };
        }
    }

    /**
     * A daily window, in the user's time zone, in which non-urgent notifications wait. It may cross
     * midnight ({@code 22:00} to {@code 07:00}).
     *
     * @param start first minute of the window
     * @param end first minute after the window
     */
    public record QuietHours(LocalTime start, LocalTime end) {}
}
