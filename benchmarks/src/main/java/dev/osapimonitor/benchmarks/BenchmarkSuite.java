package dev.osapimonitor.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark and writes BENCHMARKS.md. Every figure that has a target is a ratio or a difference of
 * measurements taken side by side in this one run (configurations alternate within each round), so a shared, noisy
 * machine moves both sides alike.
 *
 * <p>Usage: {@code java -jar benchmarks.jar --agent <opentelemetry-javaagent.jar> --extended-agent
 * <osapi-monitor-javaagent.jar> --policies <examples/policies> [--quick] [--out BENCHMARKS.md] [--only
 * percall,decision,startup,export,sustained,memory] [--bench fileOpenRead,...]}
 */
public final class BenchmarkSuite {

  static final List<String> CALLS =
      List.of("fileOpenRead", "fileOpenWrite", "processStart", "socketConnect", "dnsLookup", "getenv");
  static final List<String> CONFIGS = List.of("none", "agent", "unflagged", "lookback", "capture");
  static final Map<String, String> CONFIG_TEXT = Map.of(
      "none", "no agent",
      "agent", "agent alone",
      "unflagged", "agent + extension, default.yaml, nothing triggered",
      "lookback", "as unflagged, look-back recording every call",
      "capture", "agent + extension, capture-all.yaml, OTLP/gRPC export to a loopback receiver");

  final boolean quick;
  final Path agent;
  final Path extendedAgent;
  final Path policies;
  final Path work;
  final Set<String> only;
  final List<String> calls;
  final String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  final Report report;
  final List<String> args;

  BenchmarkSuite(Map<String, String> options, List<String> args) throws IOException {
    this.args = args;
    quick = options.containsKey("quick");
    agent = required(options, "agent");
    extendedAgent = required(options, "extended-agent");
    policies = required(options, "policies");
    only = options.containsKey("only")
        ? Set.of(options.get("only").split(","))
        : Set.of("percall", "decision", "startup", "export", "sustained", "memory");
    calls = options.containsKey("bench") ? List.of(options.get("bench").split(",")) : CALLS;
    work = Files.createTempDirectory("osapi-bench");
    report = new Report(quick);
  }

  private static Path required(Map<String, String> options, String key) {
    String v = options.get(key);
    if (v == null) {
      throw new IllegalArgumentException("--" + key + " is required");
    }
    Path p = Paths.get(v).toAbsolutePath();
    if (!Files.exists(p)) {
      throw new IllegalArgumentException("--" + key + " " + p + " does not exist (build first: mvn -B -DskipTests install)");
    }
    return p;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--")) {
        System.err.println("unexpected argument " + argv[i]);
        System.exit(2);
      }
      String key = argv[i].substring(2);
      if (key.equals("quick")) {
        options.put(key, "true");
      } else if (i + 1 < argv.length) {
        options.put(key, argv[++i]);
      } else {
        System.err.println("--" + key + " needs a value");
        System.exit(2);
      }
    }
    BenchmarkSuite suite = new BenchmarkSuite(options, Arrays.asList(argv));
    Path out = Paths.get(options.getOrDefault("out", "BENCHMARKS.md"));
    long start = System.nanoTime();
    boolean ok = suite.runAll();
    suite.report.elapsedSeconds = (System.nanoTime() - start) / 1e9;
    Files.writeString(out, suite.report.render(), StandardCharsets.UTF_8);
    System.out.println("wrote " + out.toAbsolutePath() + " in " + Math.round(suite.report.elapsedSeconds) + " s");
    ExportThroughput.deleteTree(suite.work);
    System.exit(ok ? 0 : 1);
  }

  boolean runAll() throws Exception {
    boolean ok = true;
    try (LoopbackReceiver receiver = new LoopbackReceiver()) {
      if (only.contains("percall")) {
        ok &= perCall(receiver);
      }
      if (only.contains("decision")) {
        ok &= decision();
      }
      if (only.contains("startup")) {
        ok &= startup(receiver);
      }
      if (only.contains("export")) {
        ok &= export(receiver);
      }
      if (only.contains("sustained")) {
        ok &= sustained(receiver);
      }
      if (only.contains("memory")) {
        ok &= memory(receiver);
      }
    }
    return ok;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Per-call cost under the real agent

  List<String> jvmArgs(String config, String endpoint) throws IOException {
    List<String> a = new ArrayList<>(List.of("-Xms256m", "-Xmx256m"));
    if (config.equals("none")) {
      return a;
    }
    a.addAll(List.of(
        "-Dotel.service.name=osapi-bench",
        "-Dotel.metrics.exporter=none",
        "-Dotel.logs.exporter=none",
        "-Dotel.exporter.otlp.protocol=grpc",
        "-Dotel.exporter.otlp.endpoint=" + endpoint));
    if (config.equals("agent")) {
      a.add("-javaagent:" + agent);
      return a;
    }
    a.add("-javaagent:" + extendedAgent);
    Path spool = Files.createTempDirectory(work, "spool");
    a.add("-Dotel.instrumentation.osapi.exporter.spool.dir=" + spool);
    a.add("-Dotel.instrumentation.osapi.jmx.enabled=false");
    switch (config) {
      case "unflagged" -> a.add("-Dotel.instrumentation.osapi.policy=" + policies.resolve("default.yaml"));
      case "lookback" -> a.add("-Dotel.instrumentation.osapi.policy=" + lookbackEverything());
      case "capture" -> a.add("-Dotel.instrumentation.osapi.policy=" + policies.resolve("capture-all.yaml"));
      default -> throw new IllegalArgumentException(config);
    }
    return a;
  }

  /** default.yaml with its look-back widened to every call (the shipped one keeps file opens only in requests). */
  Path lookbackEverything() throws IOException {
    Path p = work.resolve("default-lookback-everything.yaml");
    if (!Files.exists(p)) {
      String text = Files.readString(policies.resolve("default.yaml"), StandardCharsets.UTF_8);
      int start = text.indexOf("\nlookback:\n");
      int end = text.indexOf("\nrules:", start);
      if (start < 0 || end < 0) {
        throw new IllegalStateException("default.yaml has no lookback section followed by rules");
      }
      String lookback =
          "\nlookback:\n  enabled: true\n  max_records: 10000\n  max_age: 120s\n  match:\n    - {}\n";
      Files.writeString(p, text.substring(0, start) + lookback + text.substring(end), StandardCharsets.UTF_8);
      p.toFile().setWritable(false, false);
      p.toFile().setWritable(true, true);
    }
    return p;
  }

  ChainedOptionsBuilder jmh(String include) {
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include(include)
        .forks(1)
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT);
    if (quick) {
      b.warmupIterations(1).warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(2).measurementTime(TimeValue.milliseconds(500));
    } else {
      b.warmupIterations(2).warmupTime(TimeValue.seconds(1))
          .measurementIterations(3).measurementTime(TimeValue.seconds(1));
    }
    return b;
  }

  boolean perCall(LoopbackReceiver receiver) throws Exception {
    int rounds = quick ? 1 : 3;
    // scores[call][config] = one ns/op per round
    Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();
    Map<String, Long> exportedApiSpans = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (String call : calls) {
        for (String config : CONFIGS) {
          receiver.reset();
          String include = "^" + Pattern.quote(OsCallBenchmark.class.getName() + "." + call) + "$";
          List<String> jvm = jvmArgs(config, receiver.endpoint());
          Collection<RunResult> results = new Runner(jmh(include).jvmArgsAppend(jvm.toArray(new String[0])).build()).run();
          double score = results.iterator().next().getPrimaryResult().getScore();
          scores.computeIfAbsent(call, k -> new LinkedHashMap<>()).computeIfAbsent(config, k -> new ArrayList<>())
              .add(score);
          // The agent flushes on exit; the count is final once the fork is gone.
          exportedApiSpans.merge(call + "/" + config, receiver.apiSpans.get(), Long::sum);
          System.out.printf(Locale.ROOT, "round %d %-14s %-10s %12.1f ns/op  (API spans exported: %d)%n",
              round + 1, call, config, score, receiver.apiSpans.get());
        }
      }
    }
    report.perCall(scores, exportedApiSpans, rounds);
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Decision path (no agent, in a fork)

  boolean decision() throws Exception {
    String include = "^" + Pattern.quote(DecisionBenchmark.class.getName() + ".decide") + "$";
    Collection<RunResult> results = new Runner(jmh(include).jvmArgsAppend("-Xms256m", "-Xmx256m").build()).run();
    Map<String, Double> byParams = new LinkedHashMap<>();
    for (RunResult r : results) {
      String key = r.getParams().getParam("rules") + "/" + r.getParams().getParam("call");
      byParams.put(key, r.getPrimaryResult().getScore());
      System.out.printf(Locale.ROOT, "decision %-10s %8.1f ns/op%n", key, r.getPrimaryResult().getScore());
    }
    String capture = "^" + Pattern.quote(CaptureBenchmark.class.getName() + ".capturedEnvRead") + "$";
    Map<String, Double> captureCost = new LinkedHashMap<>();
    for (RunResult r : new Runner(jmh(capture).param("processor", "batch").jvmArgsAppend("-Xms256m", "-Xmx256m")
        .build()).run()) {
      captureCost.put(r.getParams().getParam("caller"), r.getPrimaryResult().getScore());
      System.out.printf(Locale.ROOT, "capture caller=%s %8.1f ns/op%n", r.getParams().getParam("caller"),
          r.getPrimaryResult().getScore());
    }
    report.decision(byParams, captureCost);
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Whole process: start-up time and peak RSS

  record ProcessRun(double wallMillis, long peakKb, String stdout) {}

  ProcessRun runJava(List<String> jvm, String mainClass, List<String> appArgs, long timeoutSeconds) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin);
    cmd.addAll(jvm);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(appArgs);
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(mainClass + " did not finish in " + timeoutSeconds + " s: " + Files.readString(err));
    }
    double wall = (System.nanoTime() - start) / 1e6;
    String stdout = Files.readString(out);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(mainClass + " exited " + p.exitValue() + ":\n" + Files.readString(err));
    }
    long peak = -1;
    for (String line : stdout.split("\n")) {
      if (line.startsWith("VmHWM_kB ")) {
        peak = Long.parseLong(line.substring("VmHWM_kB ".length()).trim());
      }
    }
    return new ProcessRun(wall, peak, stdout);
  }

  boolean startup(LoopbackReceiver receiver) throws Exception {
    int runs = quick ? 2 : 10;
    Map<String, List<ProcessRun>> byConfig = new LinkedHashMap<>();
    for (int i = 0; i < runs + 1; i++) {
      for (String config : List.of("none", "agent", "unflagged")) {
        ProcessRun r = runJava(jvmArgs(config, receiver.endpoint()), "dev.osapimonitor.benchmarks.apps.StartupApp",
            List.of(), 120);
        if (i > 0) { // the first round warms the file-system cache and the JDK's CDS archive
          byConfig.computeIfAbsent(config, k -> new ArrayList<>()).add(r);
        }
        System.out.printf(Locale.ROOT, "startup %-10s %8.0f ms  peak RSS %d kB%n", config, r.wallMillis(), r.peakKb());
      }
    }
    report.startup(byConfig);
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Export throughput

  boolean export(LoopbackReceiver receiver) throws Exception {
    int count = quick ? 100_000 : 400_000;
    int rounds = quick ? 1 : 3;
    var spans = ExportThroughput.spans(count);
    // One warm-up pass of each, not reported.
    ExportThroughput.throughput(ExportThroughput.stock(receiver.endpoint()), spans.subList(0, 20_000), receiver);
    List<Double> stock = new ArrayList<>();
    List<Double> ours = new ArrayList<>();
    List<Double> spool = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      var s = ExportThroughput.stock(receiver.endpoint());
      stock.add(ExportThroughput.throughput(s, spans, receiver));
      s.shutdown().join(10, TimeUnit.SECONDS);
      Path dir = work.resolve("export-spool-" + round);
      var o = ExportThroughput.spooling(ExportThroughput.stock(receiver.endpoint()), dir);
      ours.add(ExportThroughput.throughput(o, spans, receiver));
      o.shutdown().join(10, TimeUnit.SECONDS);
      ExportThroughput.deleteTree(dir);
      spool.add(ExportThroughput.spoolWhileDown(spans, work.resolve("down-spool-" + round)));
      System.out.printf(Locale.ROOT, "export round %d: stock %.0f spans/s, spool+stock %.0f spans/s, spool (backend down) %.0f spans/s%n",
          round + 1, stock.get(round), ours.get(round), spool.get(round));
    }
    report.export(count, stock, ours, spool);
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sustained capture: no span lost at 20k calls/s

  boolean sustained(LoopbackReceiver receiver) throws Exception {
    int rate = 20_000;
    int seconds = quick ? 5 : 20;
    Path dir = Files.createTempDirectory(work, "sustained");
    receiver.reset();
    receiver.watch(dir.toString());
    List<String> args = jvmArgs("capture", receiver.endpoint());
    ProcessRun r = runJava(args, "dev.osapimonitor.benchmarks.apps.PacedWorkload",
        List.of(dir.toString(), String.valueOf(rate), String.valueOf(seconds)), seconds + 120L);
    long calls = Long.parseLong(r.stdout().lines().filter(l -> l.startsWith("calls ")).findFirst().orElseThrow()
        .split(" ")[1]);
    double elapsed = Double.parseDouble(r.stdout().lines().filter(l -> l.startsWith("calls ")).findFirst()
        .orElseThrow().split(" ")[3]);
    // The process delivered its spool before exiting; give the receiver a moment for the last request.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (receiver.watchedSpans.get() < calls && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    long got = receiver.watchedSpans.get();
    // What the exiting JVM could not deliver in its shutdown allowance stays in the spool; the next start of a JVM
    // on the same spool delivers it. Start one that makes no calls, and count what arrives.
    long later = 0;
    if (got < calls) {
      runJava(args, "dev.osapimonitor.benchmarks.apps.PacedWorkload", List.of(dir.toString(), "0", "0"), 120L);
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (receiver.watchedSpans.get() < calls && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      later = receiver.watchedSpans.get() - got;
    }
    System.out.printf(Locale.ROOT, "sustained: %d calls in %.1f s, %d spans received, %d more from the spool at the "
        + "next start%n", calls, elapsed, got, later);
    report.sustained(rate, seconds, calls, elapsed, got, later);
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Memory: heap after GC over a long capture run; the look-back ring's size

  boolean memory(LoopbackReceiver receiver) throws Exception {
    int rate = 10_000;
    int seconds = quick ? 15 : 600;
    int every = quick ? 3 : 30;
    Path dir = Files.createTempDirectory(work, "memory");
    receiver.reset();
    receiver.watch(dir.toString());
    ProcessRun r = runJava(jvmArgs("capture", receiver.endpoint()), "dev.osapimonitor.benchmarks.apps.PacedWorkload",
        List.of(dir.toString(), String.valueOf(rate), String.valueOf(seconds), String.valueOf(every)), seconds + 180L);
    List<long[]> samples = new ArrayList<>();
    r.stdout().lines().filter(l -> l.startsWith("heap ")).forEach(l -> {
      String[] f = l.split(" ");
      samples.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
    });
    long calls = Long.parseLong(r.stdout().lines().filter(l -> l.startsWith("calls ")).findFirst().orElseThrow()
        .split(" ")[1]);
    System.out.printf(Locale.ROOT, "memory: %d heap samples, %d calls, %d spans received%n", samples.size(), calls,
        receiver.watchedSpans.get());
    LookbackMemory.Result ring = LookbackMemory.measure(10_000);
    System.out.printf(Locale.ROOT, "look-back ring: %d records hold %d bytes (%d per record)%n", ring.records(),
        ring.bytes(), ring.perRecord());
    report.memory(rate, seconds, samples, calls, receiver.watchedSpans.get(), ring);
    return true;
  }

  /** The command that reproduces a section (documented in BENCHMARKS.md). */
  static String command(String only, String bench, boolean quick) {
    return "benchmarks/run.sh" + (quick ? " --quick" : "") + " --only " + only + (bench == null ? "" : " --bench " + bench);
  }

  static String now() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
  }
}
