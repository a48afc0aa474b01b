package dev.herald.devstack;

import dev.herald.devstack.bench.MachineCpu;
import dev.herald.devstack.bench.MachineProbe;
import dev.herald.devstack.bench.Options;
import dev.herald.schemas.kafka.Topics;
import dev.herald.testkit.FreePorts;
import dev.herald.testkit.KafkaBroker;
import dev.herald.testkit.Tokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ingest-api benchmark: an in-process broker, ingest-api in its own JVM with its production settings
 * (authentication, validation, idempotency and rate limiting on, Redis on localhost), and wrk
 * ({@code bench/ingest-load.lua}) driving first the bare baseline endpoint (produce to Kafka only) and then
 * {@code POST /api/v1/notifications} with a fresh {@code Idempotency-Key} per request, at the same concurrency.
 * A third phase repeats the second without the key, to show what idempotency costs. Prints accepted
 * notifications a second, latency percentiles, CPU time per request (ingest-api's and the whole machine's), how
 * busy the machine was, and the ratios of the keyed phase to the baseline in throughput and in machine CPU per
 * request: a phase that leaves cores idle is bound by its latency, so only the second ratio does not depend on the
 * concurrency.
 *
 * <p>Run with {@code bench/ingest}; options {@code --connections} (64), {@code --duration} (20 s per phase),
 * {@code --warmup} (40 s per phase, all phases warmed before any is measured: on two cores the JIT needs about
 * two minutes of load to settle), {@code --phases} (baseline,ingest,no-key), {@code --rounds} (1: how many times
 * the phases are measured in turn; with more, each round's figures and then the median and range of the ratios,
 * because the keyed phase's cost moves by up to a third from run to run on this machine).
 */
public final class IngestBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        Path root = Path.of(System.getProperty("herald.root", "."));
        String connections = options.getOrDefault("connections", "64");
        String duration = options.getOrDefault("duration", "20");
        String warmup = options.getOrDefault("warmup", "40");
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "1"));
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        // before anything loads the machine: what this run's figures should be read against
        System.out.println("machine: " + MachineProbe.measure());
        String secret = Tokens.newSecret();
        int port = FreePorts.pick();

        try (KafkaBroker broker = KafkaBroker.start(0)) {
            broker.createTopics(Topics.all(), 3);
            AppProcess ingest = AppProcess.start(
                    App.INGEST_API,
                    port,
                    root.resolve("ingest-api/target/ingest-api-exec.jar"),
                    withExtra("HERALD_BENCH_JVM_OPTIONS", "-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"),
                    withExtra(
                            "HERALD_BENCH_APP_ARGS",
                            "--server.port=" + port,
                            "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                            "--herald.kafka.create-topics=false",
                            "--herald.ingest.benchmark-baseline=true",
                            "--herald.security.public-paths=/bench/**",
                            "--herald.ingest.rate-limit.clients.bench.capacity=100000000",
                            "--herald.ingest.rate-limit.clients.bench.per-second=100000000",
                            // bench/ingest removes the keys afterwards; these go by themselves if it is cut short
                            "--herald.ingest.idempotency-ttl=10m",
                            "--logging.level.root=warn"),
                    Map.of("HERALD_SECURITY_JWT_HMAC_SECRET", secret),
                    root.resolve(".bench/ingest-api.log"));
            try {
                ingest.awaitReady(Duration.ofMinutes(2));
                String token = Tokens.mint(secret, "bench", List.of("notifications:write"), Duration.ofHours(1));
                System.out.printf(
                        "ingest-api benchmark: %s connections, %s s warm-up and %s s per phase, %d round(s)%n",
                        connections, warmup, duration, rounds);
                List<List<JsonNode>> measured = load(
                        root,
                        ingest,
                        ingest.url().toString(),
                        token,
                        connections,
                        duration,
                        warmup,
                        rounds,
                        options.containsKey("phases")
                                ? List.of(options.get("phases").split(","))
                                : List.of());
                List<Ratios> ratios =
                        measured.stream().map(IngestBenchmark::report).toList();
                if (rounds > 1) {
                    summarize(ratios);
                }
            } finally {
                ingest.requestStop();
                ingest.awaitStop(Duration.ofSeconds(20));
            }
        }
    }

    /**
     * {@code base} followed by the space-separated words of the environment variable {@code variable}: {@code
     * HERALD_BENCH_JVM_OPTIONS} adds ingest-api JVM options (e.g. to record a profile), {@code
     * HERALD_BENCH_APP_ARGS} Spring arguments (e.g. to compare a setting). An extra {@code --name=value} replaces
     * the base's {@code --name=…}: Spring would join both values with a comma.
     */
    private static List<String> withExtra(String variable, String... base) {
        List<String> all = new ArrayList<>(List.of(base));
        String extra = System.getenv(variable);
        if (extra != null && !extra.isBlank()) {
            for (String word : extra.trim().split("\\s+")) {
                int equals = word.indexOf('=');
                if (word.startsWith("--") && equals > 2) {
                    String name = word.substring(0, equals + 1);
                    all.removeIf(existing -> existing.startsWith(name));
                }
                all.add(word);
            }
        }
        return all;
    }

    /** The phases, in order: name, path, whether the token is sent, whether each request has a fresh key. */
    private record Phase(String name, String path, boolean authenticated, boolean keyed) {}

    private static final List<Phase> PHASES = List.of(
            new Phase("baseline", "/bench/baseline", false, false),
            new Phase("ingest", "/api/v1/notifications", true, true),
            // the same without an Idempotency-Key: shows what the key's Redis round trips cost
            new Phase("no-key", "/api/v1/notifications", true, false));

    /** Each round's figures, a list per round with one entry per phase. */
    private static List<List<JsonNode>> load(
            Path root,
            AppProcess ingest,
            String url,
            String token,
            String connections,
            String duration,
            String warmup,
            int rounds,
            List<String> only)
            throws IOException, InterruptedException {
        List<Phase> chosen = only.isEmpty()
                ? PHASES
                : only.stream()
                        .map(name -> PHASES.stream()
                                .filter(p -> p.name().equals(name))
                                .findFirst()
                                .orElseThrow(() -> new IllegalArgumentException("no phase " + name)))
                        .toList();
        // warm every path first: the JIT compiles the shared code (security, validation, Kafka, Redis) once all of
        // it has run, and a phase measured while that happens pays for the others' compilation
        for (Phase phase : chosen) {
            wrk(root, url, token, phase, connections, warmup);
        }
        List<List<JsonNode>> measured = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<JsonNode> phases = new ArrayList<>();
            for (Phase phase : chosen) {
                Duration cpuBefore = ingest.cpuTime();
                MachineCpu machineBefore = MachineCpu.now();
                ObjectNode figures = (ObjectNode) wrk(root, url, token, phase, connections, duration);
                MachineCpu machineAfter = MachineCpu.now();
                figures.put("phase", phase.name());
                figures.put("cpuMicros", ingest.cpuTime().minus(cpuBefore).toNanos() / 1000);
                figures.put("machineBusy", machineBefore.busyShare(machineAfter));
                figures.put("machineMicros", machineBefore.busyMicros(machineAfter));
                phases.add(figures);
            }
            measured.add(phases);
        }
        return measured;
    }

    /** Runs wrk (one thread: the machine's cores are better spent on the server) and returns its figures. */
    private static JsonNode wrk(Path root, String url, String token, Phase phase, String connections, String seconds)
            throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder(
                        "wrk",
                        "-t1",
                        "-c" + connections,
                        "-d" + seconds + "s",
                        "--timeout",
                        "10s",
                        "-s",
                        root.resolve("bench/ingest-load.lua").toString(),
                        url,
                        "--",
                        phase.path(),
                        phase.authenticated() ? token : "-",
                        phase.keyed() ? "key" : "no-key")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String figures = null;
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(wrk.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("{")) {
                    figures = line;
                }
            }
        }
        if (wrk.waitFor() != 0 || figures == null) {
            throw new IllegalStateException("wrk failed (exit " + wrk.exitValue() + ")");
        }
        return JSON.readTree(figures);
    }

    /**
     * The keyed phase against the baseline in one round, or {@code null} each when the round lacks either.
     *
     * @param throughput keyed accepted/s over the baseline's
     * @param cost the baseline's machine CPU per request over the keyed phase's
     */
    private record Ratios(Double throughput, Double cost) {}

    /** Prints one round's figures and its ratios. */
    private static Ratios report(List<JsonNode> phases) {
        System.out.println();
        System.out.println("phase     requests  accepted/s  non-2xx  errors  p50 ms  p90 ms  p99 ms  max ms"
                + "  ingest-api CPU µs/request  machine busy %  machine CPU µs/request");
        double baseline = 0;
        double ingest = 0;
        double baselineCost = 0;
        double ingestCost = 0;
        for (JsonNode phase : phases) {
            double machineCost = phase.path("machineMicros").asDouble()
                    / Math.max(1, phase.path("requests").asLong());
            double seconds = phase.path("micros").asDouble() / 1_000_000;
            double acceptedPerSecond =
                    (phase.path("requests").asLong() - phase.path("non2xx").asLong()) / seconds;
            System.out.printf(
                    "%-9s %8d %11.0f %8d %7d %7.1f %7.1f %7.1f %7.1f %27.0f %15.0f %23.0f%n",
                    phase.path("phase").asString(),
                    phase.path("requests").asLong(),
                    acceptedPerSecond,
                    phase.path("non2xx").asLong(),
                    phase.path("errors").asLong() + phase.path("timeouts").asLong(),
                    phase.path("p50").asDouble(),
                    phase.path("p90").asDouble(),
                    phase.path("p99").asDouble(),
                    phase.path("max").asDouble(),
                    phase.path("cpuMicros").asDouble()
                            / Math.max(1, phase.path("requests").asLong()),
                    phase.path("machineBusy").asDouble() * 100,
                    machineCost);
            if (phase.path("phase").asString().equals("baseline")) {
                baseline = acceptedPerSecond;
                baselineCost = machineCost;
            } else if (phase.path("phase").asString().equals("ingest")) {
                ingest = acceptedPerSecond;
                ingestCost = machineCost;
            }
        }
        if (baseline == 0 || ingest == 0 || ingestCost == 0) {
            System.out.println("\n(no ratios: they need both the baseline and the ingest phase)");
            return new Ratios(null, null);
        }
        Ratios ratios = new Ratios(ingest / baseline, baselineCost / ingestCost);
        System.out.printf("%ningest / baseline = %.2f%n", ratios.throughput());
        // the throughput ratio depends on the concurrency: a phase that leaves cores idle is bound by its latency
        // (the producer's linger.ms, mostly), not by what a request costs; the cost ratio does not
        System.out.printf("machine CPU per request, baseline / ingest = %.2f%n", ratios.cost());
        return ratios;
    }

    /** The median and range of the rounds' ratios. */
    private static void summarize(List<Ratios> rounds) {
        List<Double> throughput = rounds.stream()
                .map(Ratios::throughput)
                .filter(r -> r != null)
                .sorted()
                .toList();
        List<Double> cost = rounds.stream()
                .map(Ratios::cost)
                .filter(r -> r != null)
                .sorted()
                .toList();
        if (throughput.isEmpty()) {
            return;
        }
        System.out.printf(
                "%nover %d rounds: ingest / baseline median %.2f (%.2f to %.2f), machine CPU per request ratio"
                        + " median %.2f (%.2f to %.2f)%n",
                throughput.size(),
                median(throughput),
                throughput.getFirst(),
                throughput.getLast(),
                median(cost),
                cost.getFirst(),
                cost.getLast());
    }

    private static double median(List<Double> sorted) {
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
