package dev.herald.testkit;

import dev.herald.schemas.kafka.Topic;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), running inside this JVM for
 * tests and devstack, on a port of the caller's choosing. Its data lives in a temporary folder deleted on
 * {@link #close()}. Internal topics use one replica, so transactions and consumer groups work.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Properties config;
    private final Path dataDir;
    private final String bootstrapServers;
    private KafkaRaftServer server;

    private KafkaBroker(KafkaRaftServer server, Properties config, Path dataDir, String bootstrapServers) {
        this.server = server;
        this.config = config;
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker listening on {@code port} of 127.0.0.1; {@code 0} picks a free port. */
    public static KafkaBroker start(int port) {
        return start("127.0.0.1", port);
    }

    /**
     * Starts a broker whose clients reach it on {@code host}:{@code port} (its controller stays on 127.0.0.1); {@code
     * 0} picks a free port.
     */
    public static KafkaBroker start(String host, int port) {
        int brokerPort = port > 0 ? port : FreePorts.pick();
        int controllerPort = FreePorts.pick();
        String bootstrap = host + ":" + brokerPort;
        try {
            Path dataDir = Files.createTempDirectory("herald-kafka-");
            Properties config = config(bootstrap, controllerPort, dataDir);
            Path file = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(file)) {
                config.store(out, "Herald in-process broker");
            }
            int formatted = StorageTool.execute(
                    new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString(), "--standalone"},
                    new PrintStream(OutputStream.nullOutputStream()));
            if (formatted != 0) {
                throw new IllegalStateException("formatting the broker's storage failed (" + formatted + ")");
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
            server.startup();
            KafkaBroker broker = new KafkaBroker(server, config, dataDir, bootstrap);
            broker.awaitReady();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker's storage", e);
        }
    }

    private static Properties config(String bootstrap, int controllerPort, Path dataDir) {
        Properties config = new Properties();
        config.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://" + bootstrap + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + bootstrap),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", dataDir.resolve("logs").toString()),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("log.cleaner.dedupe.buffer.size", "2097152")));
        return config;
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the broker did not come up: " + e.getMessage(), e);
        }
    }

    /** The {@code bootstrap.servers} value for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates {@code topics} with their catalogue configuration and {@code partitions} partitions each. */
    public void createTopics(Collection<Topic<?, ?>> topics, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(topics.stream()
                            .map(topic -> new NewTopic(topic.name(), partitions, (short) 1).configs(topic.configs()))
                            .toList())
                    .all()
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create topics: " + e.getCause().getMessage(), e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Shuts the broker down, keeping its data, as in an outage; {@link #restart()} brings it back. */
    public synchronized void stop() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** Starts the broker again after {@link #stop()}, on the same ports and with the same data. */
    public synchronized void restart() {
        server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    @Override
    public synchronized void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary folder; the OS cleans up what is left
        }
    }
}
