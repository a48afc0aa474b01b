package dev.herald.platform.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Refuses a string member that holds the NUL character ({@code \u0000}), which JSON allows and PostgreSQL cannot
 * store in text: without this, a device token or a template name holding one became a 500 when its row was written.
 * The failure points to the member, like any other invalid one. Every string value is read this way, in lists and
 * maps and free-form members ({@code Map<String, Object>}) too; member names and map keys are not (their rows'
 * own refusal by PostgreSQL is answered 400, see {@code DatabaseErrorFilter}). Jackson reads strings a little
 * slower through a deserializer of its own than through its built-in one.
 */
final class NulFreeStrings extends StringDeserializer {

    private NulFreeStrings() {}

    /** The module that reads every string member of a request body this way. */
    static SimpleModule module() {
        return new SimpleModule("herald-nul-free-strings").addDeserializer(String.class, new NulFreeStrings());
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
        String value = super.deserialize(p, ctxt);
        if (value != null && value.indexOf('\0') >= 0) {
            throw new NulCharacterException(p, value);
        }
        return value;
    }

    /** A string member holding {@code \u0000}. */
    static final class NulCharacterException extends InvalidFormatException {

        static final String DETAIL = "must not contain the NUL character (\\u0000)";

        NulCharacterException(JsonParser p, String value) {
            super(p, "String value " + DETAIL, value, String.class);
        }
    }
}
