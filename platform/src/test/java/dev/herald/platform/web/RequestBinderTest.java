package dev.herald.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

class RequestBinderTest {

    private static final ValidatorFactory validation = Validation.buildDefaultValidatorFactory();

    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(NulFreeStrings.module())
            .build();
    private final RequestBinder binder = new RequestBinder(json, validation.getValidator());

    record Item(@NotBlank String name) {}

    record Document(Map<String, @NotBlank String> labels, List<@Valid Item> items, Map<String, @Valid Item> named) {}

    @AfterAll
    static void close() {
        validation.close();
    }

    @Test
    void pointersEscapeMemberNamesAsRfc6901Says() {
        assertThat(errors("{\"a/b~c\": 1}")).containsExactly(FieldError.body("#/a~1b~0c", "unknown property 'a/b~c'"));
        assertThat(errors("{\"labels\": {\"a b/c\": \" \"}, \"items\": [{\"name\": \"\"}], \"named\": {\"x.y\": {}}}"))
                .extracting(FieldError::pointer)
                .containsExactly("#/items/0/name", "#/labels/a%20b~1c", "#/named/x.y/name");
        assertThat(errors("{\"named\": {\"caf\u00e9\": {\"name\": []}}}"))
                .extracting(FieldError::pointer)
                .containsExactly("#/named/caf%C3%A9/name");
    }

    @Test
    void aStringHoldingTheNulCharacterIsRefusedWhereverItIs() {
        assertThat(errors("{\"items\": [{\"name\": \"a\\u0000\"}]}"))
                .containsExactly(FieldError.body("#/items/0/name", "must not contain the NUL character (\\u0000)"));
        assertThat(errors("{\"labels\": {\"k\": \"\\u0000\"}}"))
                .extracting(FieldError::pointer)
                .containsExactly("#/labels/k");
    }

    private List<FieldError> errors(String document) {
        try {
            binder.bind(json.readTree(document), Document.class, "#");
        } catch (InvalidRequestException e) {
            return e.errors();
        }
        throw new AssertionError("bound " + document);
    }

    @Test
    void aValidDocumentBinds() {
        assertThat(binder.bind(json.readTree("{\"items\": [{\"name\": \"x\"}]}"), Document.class, "#")
                        .items())
                .containsExactly(new Item("x"));
        assertThatThrownBy(() -> binder.bind(json.readTree("null"), Document.class, "#"))
                .isInstanceOf(InvalidRequestException.class);
    }
}
