package dev.herald.platform.kafka;

import dev.herald.schemas.kafka.Topic;
import dev.herald.schemas.kafka.Topics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Creates the catalogue's topics that do not exist yet, before the app starts consuming (Kafka Streams
 * refuses to start on a missing source topic). It never touches an existing topic: unlike Spring's {@code
 * KafkaAdmin}, it would not add partitions to one, which would move keys of the compacted topics and break
 * the co-partitioning of joined topics.
 */
final class TopicCreator implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Map<String, Object> adminConfig;
    private final HeraldKafkaProperties properties;

    TopicCreator(Map<String, Object> adminConfig, HeraldKafkaProperties properties) {
        this.adminConfig = adminConfig;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.all().stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(this::newTopic)
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).values().forEach((name, created) -> {
                try {
                    created.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    log.info("Created topic {}", name);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        log.warn(
                                "Could not create topic {}: {}",
                                name,
                                e.getCause().toString());
                    }
                } catch (Exception e) {
                    log.warn("Could not create topic {}: {}", name, e.toString());
                }
            });
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("Could not check Herald's topics at start-up: {}", e.toString());
        }
    }

    private NewTopic newTopic(Topic<?, ?> topic) {
        return new NewTopic(topic.name(), properties.partitions(), properties.replicationFactor())
                .configs(topic.configs());
    }
}
