package dev.herald.devstack;

import dev.herald.devstack.bench.JitCompiler;
import dev.herald.devstack.bench.MachineCpu;
import dev.herald.devstack.bench.MachineProbe;
import dev.herald.devstack.bench.Options;
import dev.herald.devstack.bench.RedisServer;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ingest-api benchmark: an in-process broker, ingest-api in its own JVM with its production settings
 * (authentication, validation, idempotency and rate limiting on, Redis on localhost), and wrk
 * ({@code bench/ingest-load.lua}) driving first the bare baseline endpoint (produce to Kafka only) and then
 * {@code POST /api/v1/notifications} with a fresh {@code Idempotency-Key} per request, at the same concurrency.
 * A third phase repeats the second without the key, to show what idempotency costs. Prints accepted
 * notifications a second, latency percentiles, CPU time per request (ingest-api's, Redis's and the whole
 * machine's), how busy the machine was, and the ratios of the keyed phase to the baseline in throughput and in
 * machine CPU per request: a phase that leaves cores idle is bound by its latency, so only the second ratio does
 * not depend on the concurrency.
 *
 * <p>Run with {@code bench/ingest}; options {@code --connections} (64), {@code --duration} (20 s per phase),
 * {@code --warmup} (40 s per phase at least, all phases warmed before any is measured, longer until the JIT
 * compiler settles: on two cores it needs about two minutes of load; 0 for none), {@code --phases}
 * (baseline,ingest,no-key), {@code --rounds} (1: how many times the phases are measured in turn; with more, each
 * round's figures and then the median and range of the ratios, because the keyed phase's cost moves by up to a
 * third from run to run on this machine), {@code --compare} (another build's {@code ingest-api-exec.jar}: both run
 * side by side and each round measures one and then the other, in turns, and the run ends with this build's
 * figures over the other's, round by round: on a machine whose speed drifts that is the way to tell what a change
 * does).
 */
public final class IngestBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        Path root = Path.of(System.getProperty("herald.root", "."));
        String connections = options.getOrDefault("connections", "64");
        String duration = options.getOrDefault("duration", "20");
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "40"));
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be 0 or more");
        }
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "1"));
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        List<Path> jars = new ArrayList<>(List.of(root.resolve("ingest-api/target/ingest-api-exec.jar")));
        if (options.containsKey("compare")) {
            Path other = root.resolve(options.get("compare")).toAbsolutePath().normalize();
            if (!other.toFile().isFile()) {
                throw new IllegalArgumentException("--compare " + other + ": no such jar");
            }
            jars.add(other);
        }
        // before anything loads the machine: what this run's figures should be read against
        System.out.println("machine: " + MachineProbe.measure());
        String secret = Tokens.newSecret();

        try (KafkaBroker broker = KafkaBroker.start(0)) {
            broker.createTopics(Topics.all(), 3);
            List<Target> targets = new ArrayList<>();
            try {
                for (Path jar : jars) {
                    String name = targets.isEmpty() ? "this" : "other";
                    targets.add(new Target(name, start(root, jar, name, broker, secret)));
                }
                for (Target target : targets) {
                    target.app().awaitReady(Duration.ofMinutes(2));
                }
                String token = Tokens.mint(secret, "bench", List.of("notifications:write"), Duration.ofHours(1));
                System.out.printf(
                        "ingest-api benchmark: %s connections, at least %d s warm-up"
                                + " and %s s per phase, %d round(s)%s%n",
                        connections,
                        warmup,
                        duration,
                        rounds,
                        targets.size() > 1 ? ", this build and " + jars.get(1) + " in turn" : "");
                List<List<Measured>> measured = load(
                        root,
                        targets,
                        token,
                        connections,
                        duration,
                        warmup,
                        rounds,
                        options.containsKey("phases")
                                ? List.of(options.get("phases").split(","))
                                : List.of());
                List<List<Ratios>> ratios = measured.stream()
                        .map(round -> round.stream()
                                .map(m -> report(targets.size() > 1 ? m.target() : null, m.phases()))
                                .toList())
                        .toList();
                for (int t = 0; t < targets.size(); t++) {
                    if (rounds > 1) {
                        int index = t;
                        summarize(
                                targets.size() > 1 ? targets.get(t).name() : null,
                                ratios.stream().map(round -> round.get(index)).toList());
                    }
                }
                if (targets.size() > 1) {
                    compare(measured);
                }
            } finally {
                for (Target target : targets) {
                    target.app().requestStop();
                }
                for (Target target : targets) {
                    target.app().awaitStop(Duration.ofSeconds(20));
                }
            }
        }
    }

    /** An ingest-api under test, named {@code this} (the checkout's build) or {@code other} ({@code --compare}). */
    private record Target(String name, AppProcess app) {}

    /** One target's phases of one round, in phase order. */
    private record Measured(String target, List<JsonNode> phases) {}

    /**
     * Starts one ingest-api; {@code HERALD_BENCH_JVM_OPTIONS} and {@code HERALD_BENCH_APP_ARGS} apply to both
     * targets, {@code HERALD_BENCH_OTHER_JVM_OPTIONS} and {@code HERALD_BENCH_OTHER_APP_ARGS} to the other one only
     * (to compare a setting, give {@code --compare} this build's own jar and the setting there).
     */
    private static AppProcess start(Path root, Path jar, String name, KafkaBroker broker, String secret) {
        int port = FreePorts.pick();
        boolean other = !name.equals("this");
        List<String> jvmOptions = withExtra("HERALD_BENCH_JVM_OPTIONS", "-Xms512m", "-Xmx512m", "-XX:+UseParallelGC");
        List<String> arguments = withExtra(
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
                // the app stops by itself if this launcher dies without stopping it (Ctrl-C)
                "--herald.parent-pid=" + ProcessHandle.current().pid(),
                "--logging.level.root=warn");
        if (other) {
            jvmOptions = withExtra("HERALD_BENCH_OTHER_JVM_OPTIONS", jvmOptions.toArray(String[]::new));
            arguments = withExtra("HERALD_BENCH_OTHER_APP_ARGS", arguments.toArray(String[]::new));
        }
        return AppProcess.start(
                App.INGEST_API,
                port,
                jar,
                jvmOptions,
                arguments,
                Map.of("HERALD_SECURITY_JWT_HMAC_SECRET", secret),
                root.resolve(other ? ".bench/ingest-api-other.log" : ".bench/ingest-api.log"));
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

    /**
     * Each round's figures: per target, one entry per phase. With two targets, each round measures both, in turn,
     * first one and then the other first, so that a machine speeding up or slowing down during the run favours
     * neither.
     */
    private static List<List<Measured>> load(
            Path root,
            List<Target> targets,
            String token,
            String connections,
            String duration,
            int warmup,
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
        for (Target target : targets) {
            warmUp(root, target, token, chosen, connections, warmup, targets.size() > 1);
        }
        // Redis shares the cores: what it spends per request is part of what a keyed request costs
        Optional<RedisServer> redis = RedisServer.find();
        List<List<Measured>> measured = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<Measured> figures = new ArrayList<>(Collections.nCopies(targets.size(), (Measured) null));
            for (int i = 0; i < targets.size(); i++) {
                // round 0: this, other; round 1: other, this; …
                int t = round % 2 == 0 ? i : targets.size() - 1 - i;
                Target target = targets.get(t);
                List<JsonNode> phases = new ArrayList<>();
                for (Phase phase : chosen) {
                    Duration cpuBefore = target.app().cpuTime();
                    Optional<JitCompiler> jitBefore =
                            JitCompiler.of(target.app().pid());
                    long startNanos = System.nanoTime();
                    Optional<Duration> redisBefore = redis.map(RedisServer::cpuTime);
                    MachineCpu machineBefore = MachineCpu.now();
                    ObjectNode result =
                            (ObjectNode) wrk(root, target.app().url().toString(), token, phase, connections, duration);
                    MachineCpu machineAfter = MachineCpu.now();
                    redisBefore.ifPresent(before -> result.put(
                            "redisMicros", redis.get().cpuTime().minus(before).toNanos() / 1000));
                    result.put("phase", phase.name());
                    jitShare(target, jitBefore, startNanos).ifPresent(share -> result.put("jitShare", share));
                    result.put(
                            "cpuMicros", target.app().cpuTime().minus(cpuBefore).toNanos() / 1000);
                    result.put("machineBusy", machineBefore.busyShare(machineAfter));
                    result.put("machineMicros", machineBefore.busyMicros(machineAfter));
                    phases.add(result);
                }
                figures.set(t, new Measured(target.name(), phases));
            }
            measured.add(figures);
        }
        return measured;
    }

    /** Seconds of load per phase between two looks at the JIT compiler while warming up. */
    private static final int SETTLE_SLICE = 10;

    /** The compiler's share of one core, over a slice, under which a phase counts as compiled. */
    private static final double SETTLED_SHARE = 0.05;

    /** At most this many seconds of load past {@code --warmup}, per target, waiting for the JIT to settle. */
    private static final int SETTLE_LIMIT = 180;

    /**
     * Warms one target up: each phase in turn for {@code seconds} less {@value #SETTLE_SLICE}, then passes of
     * {@value #SETTLE_SLICE} s per phase until, in one pass, ingest-api's JIT compiler used under {@link
     * #SETTLED_SHARE} of a core during every phase (at most {@value #SETTLE_LIMIT} s of passes): on two cores C2
     * may compile for minutes, a phase measured meanwhile pays for it, and warming one phase can make it recompile
     * code another shares. Says how long it took. No warm-up at all with {@code seconds} 0.
     */
    private static void warmUp(
            Path root, Target target, String token, List<Phase> phases, String connections, int seconds, boolean named)
            throws IOException, InterruptedException {
        if (seconds == 0) {
            return;
        }
        String url = target.app().url().toString();
        for (Phase phase : phases) {
            if (seconds > SETTLE_SLICE) {
                wrk(root, url, token, phase, connections, Integer.toString(seconds - SETTLE_SLICE));
            }
        }
        int passes = 0;
        boolean watched = true;
        double most;
        do {
            most = 0;
            for (Phase phase : phases) {
                Optional<JitCompiler> before = JitCompiler.of(target.app().pid());
                long startNanos = System.nanoTime();
                wrk(root, url, token, phase, connections, Integer.toString(SETTLE_SLICE));
                Optional<Double> share = jitShare(target, before, startNanos);
                watched &= share.isPresent();
                most = Math.max(most, share.orElse(0.0));
            }
            passes++;
        } while (watched && most >= SETTLED_SHARE && passes * SETTLE_SLICE * phases.size() < SETTLE_LIMIT);
        System.out.printf(
                "warm-up%s: %d s per phase, %s%n",
                named ? " " + target.name() : "",
                Math.max(0, seconds - SETTLE_SLICE) + passes * SETTLE_SLICE,
                !watched
                        ? "the JIT compiler could not be watched here"
                        : String.format(
                                "the JIT compiler %s (at most %.0f %% of a core in the last %d s of a phase)",
                                most < SETTLED_SHARE ? "settled" : "still compiling, measured anyway",
                                most * 100,
                                SETTLE_SLICE));
    }

    /**
     * The share of one core the target's JIT compiler used since {@code before}, read at {@code startNanos}, or
     * empty where it cannot be read.
     */
    private static Optional<Double> jitShare(Target target, Optional<JitCompiler> before, long startNanos) {
        long elapsed = System.nanoTime() - startNanos;
        return before.flatMap(earlier -> JitCompiler.of(target.app().pid())
                .map(later -> earlier.since(later).toNanos() / (double) Math.max(1, elapsed)));
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

    /** Prints one round's figures and its ratios, under the target's name when there are two. */
    private static Ratios report(String target, List<JsonNode> phases) {
        System.out.println();
        if (target != null) {
            System.out.println(target + ":");
        }
        System.out.println("phase     requests  accepted/s  non-2xx  errors  p50 ms  p90 ms  p99 ms  max ms"
                + "  ingest-api CPU µs/request  JIT %  Redis CPU µs/request  machine busy %  machine CPU µs/request");
        double baseline = 0;
        double ingest = 0;
        double baselineCost = 0;
        double ingestCost = 0;
        for (JsonNode phase : phases) {
            double machineCost = phase.path("machineMicros").asDouble()
                    / Math.max(1, phase.path("requests").asLong());
            double acceptedPerSecond = acceptedPerSecond(phase);
            System.out.printf(
                    "%-9s %8d %11.0f %8d %7d %7.1f %7.1f %7.1f %7.1f %26.0f %6s %21s %15.0f %23.0f%n",
                    phase.path("phase").asString(),
                    phase.path("requests").asLong(),
                    acceptedPerSecond,
                    phase.path("non2xx").asLong(),
                    phase.path("errors").asLong() + phase.path("timeouts").asLong(),
                    phase.path("p50").asDouble(),
                    phase.path("p90").asDouble(),
                    phase.path("p99").asDouble(),
                    phase.path("max").asDouble(),
                    cpuPerRequest(phase),
                    phase.has("jitShare")
                            ? String.format("%.0f", phase.path("jitShare").asDouble() * 100)
                            : "n/a",
                    phase.has("redisMicros")
                            ? String.format(
                                    "%.0f",
                                    phase.path("redisMicros").asDouble()
                                            / Math.max(1, phase.path("requests").asLong()))
                            : "n/a",
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

    /** The median and range of the rounds' ratios, for the target named (when there are two). */
    private static void summarize(String target, List<Ratios> rounds) {
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
                "%n%sover %d rounds: ingest / baseline median %.2f (%.2f to %.2f), machine CPU per request ratio"
                        + " median %.2f (%.2f to %.2f)%n",
                target == null ? "" : target + ", ",
                throughput.size(),
                median(throughput),
                throughput.getFirst(),
                throughput.getLast(),
                median(cost),
                cost.getFirst(),
                cost.getLast());
    }

    /**
     * With two targets: for each phase, this build's accepted/s and ingest-api CPU per request over the other's,
     * round by round (each pair measured within minutes of each other), and their medians.
     */
    private static void compare(List<List<Measured>> rounds) {
        System.out.println();
        System.out.println("this build / other, per phase: accepted/s ratio and ingest-api CPU per request ratio,"
                + " each round (this build measured first in rounds 1, 3, …, the other in rounds 2, 4, …), then the"
                + " median");
        if (rounds.size() % 2 == 1) {
            System.out.println("(an odd number of rounds: this build went first once more often than the other)");
        }
        List<JsonNode> first = rounds.getFirst().getFirst().phases();
        for (int p = 0; p < first.size(); p++) {
            List<Double> throughput = new ArrayList<>();
            List<Double> cost = new ArrayList<>();
            for (List<Measured> round : rounds) {
                JsonNode mine = round.get(0).phases().get(p);
                JsonNode other = round.get(1).phases().get(p);
                throughput.add(ratio(acceptedPerSecond(mine), acceptedPerSecond(other)));
                cost.add(ratio(cpuPerRequest(mine), cpuPerRequest(other)));
            }
            System.out.printf(
                    "%-9s accepted/s %s, median %s; CPU per request %s, median %s%n",
                    first.get(p).path("phase").asString(),
                    joined(throughput),
                    formatted(median(throughput)),
                    joined(cost),
                    formatted(median(cost)));
        }
    }

    /** {@code a / b}, or NaN (printed n/a) when {@code b} is 0: nothing accepted, or no CPU time to read. */
    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    private static String formatted(double value) {
        return Double.isNaN(value) ? "n/a" : String.format("%.2f", value);
    }

    private static String joined(List<Double> values) {
        return String.join(" ", values.stream().map(IngestBenchmark::formatted).toList());
    }

    /** The median of the values that are numbers, or NaN when none is. */
    private static double median(List<Double> values) {
        List<Double> sorted =
                values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
        return sorted.isEmpty() ? Double.NaN : sortedMedian(sorted);
    }

    private static double acceptedPerSecond(JsonNode phase) {
        double seconds = phase.path("micros").asDouble() / 1_000_000;
        return (phase.path("requests").asLong() - phase.path("non2xx").asLong()) / seconds;
    }

    private static double cpuPerRequest(JsonNode phase) {
        return phase.path("cpuMicros").asDouble()
                / Math.max(1, phase.path("requests").asLong());
    }

    private static double sortedMedian(List<Double> sorted) {
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
