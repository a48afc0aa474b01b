package dev.herald.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schemas.Priority;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyTopicNameIsUnique() {
        assertThat(Topics.all()).extracting(Topic::name).doesNotHaveDuplicates();
    }

    @Test
    void eachPriorityHasItsOwnLanePerChannelWithADeadLetterTopic() {
        for (Priority priority : Priority.values()) {
            assertThat(Topics.emailDeliveries(priority).name()).isEqualTo("deliveries.email." + priority.wireName());
            assertThat(Topics.pushDeliveries(priority).name()).isEqualTo("deliveries.push." + priority.wireName());
        }
        assertThat(Topics.all())
                .extracting(Topic::name)
                .contains("deliveries.email.high-dlt", "deliveries.push.low-dlt", "notifications.dlq");
    }

    @Test
    void profileAndTemplateTopicsAreCompacted() {
        assertThat(Topics.USERS.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(Topics.TEMPLATES.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(Topics.REQUESTS.configs()).containsEntry("cleanup.policy", "delete");
    }
}
