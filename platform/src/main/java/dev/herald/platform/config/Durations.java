package dev.herald.platform.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Durations from the configuration, said in messages as a person would say them. */
public final class Durations {

    private static final Map<ChronoUnit, String> UNITS = new LinkedHashMap<>();

    static {
        UNITS.put(ChronoUnit.DAYS, "day");
        UNITS.put(ChronoUnit.HOURS, "hour");
        UNITS.put(ChronoUnit.MINUTES, "minute");
        UNITS.put(ChronoUnit.SECONDS, "second");
        UNITS.put(ChronoUnit.MILLIS, "millisecond");
    }

    private Durations() {}

    /**
     * {@code duration} in the largest unit that measures it exactly: "30 days", "1 hour", "90 minutes"; zero, a
     * negative duration or a fraction of a millisecond in ISO-8601 ({@code PT0.0000001S}).
     */
    public static String inWords(Duration duration) {
        if (duration.isPositive()) {
            for (Map.Entry<ChronoUnit, String> unit : UNITS.entrySet()) {
                if (duration.truncatedTo(unit.getKey()).equals(duration)) {
                    long count = duration.dividedBy(unit.getKey().getDuration());
                    return count + " " + unit.getValue() + (count == 1 ? "" : "s");
                }
            }
        }
        return duration.toString();
    }
}
