package dev.herald.platform.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks {@link LanguageTag}: the shape Herald's JSON Schemas allow (a 2-3 letter language, then subtags),
 * and well-formed for the JDK's strict BCP 47 parser.
 */
public class LanguageTagValidator implements ConstraintValidator<LanguageTag, String> {

    private static final Pattern SHAPE = Pattern.compile("^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$");

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        if (value.length() > 35 || !SHAPE.matcher(value).matches()) {
            return false;
        }
        try {
            return !new Locale.Builder()
                    .setLanguageTag(value)
                    .build()
                    .getLanguage()
                    .isEmpty();
        } catch (IllformedLocaleException e) {
            return false;
        }
    }
}
