package dev.herald.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ViolationTest {

    @Test
    void theLocationIsAJsonPathAndAJsonPointerFragment() {
        Violation token = new Violation(List.of("devices", 0, "token"), "x");
        assertThat(token.path()).isEqualTo("$.devices[0].token");
        assertThat(token.pointer()).isEqualTo("#/devices/0/token");
        assertThat(new Violation(List.of(), "x").pointer()).isEqualTo("#");
        assertThat(new Violation(List.of(), "x").path()).isEqualTo("$");
        assertThat(new Violation(List.of("channels", 12), "x").pointer()).isEqualTo("#/channels/12");
    }

    /** A category may be named billing.invoices: it is one member, not two. */
    @Test
    void aNameWithADotOrASlashStaysOneMember() {
        Violation dotted = new Violation(List.of("preferences", "categories", "billing.invoices", "email"), "x");
        assertThat(dotted.pointer()).isEqualTo("#/preferences/categories/billing.invoices/email");
        assertThat(dotted.path()).isEqualTo("$.preferences.categories['billing.invoices'].email");
        Violation odd = new Violation(List.of("a/b~c", "it's"), "x");
        assertThat(odd.pointer()).isEqualTo("#/a~1b~0c/it's");
        assertThat(odd.path()).isEqualTo("$['a/b~c']['it\\'s']");
        assertThat(odd.toString()).isEqualTo("$['a/b~c']['it\\'s']: x");
    }
}
