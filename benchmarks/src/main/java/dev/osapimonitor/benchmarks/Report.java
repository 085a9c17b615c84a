package dev.osapimonitor.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the suite's figures and renders BENCHMARKS.md: method, machine, tables, targets with pass/fail. */
final class Report {

  final boolean quick;
  double elapsedSeconds;
  private final List<String> targets = new ArrayList<>();
  private final StringBuilder sections = new StringBuilder();

  Report(boolean quick) {
    this.quick = quick;
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static String mmm(List<Double> v, String format) {
    return String.format(Locale.ROOT, format + " / " + format + " / " + format,
        Collections.min(v), median(v), Collections.max(v));
  }

  private void target(String what, String target, String measured, boolean pass, String command) {
    result(what, target, measured, pass ? "**pass**" : "**FAIL**", command);
  }

  private void result(String what, String target, String measured, String result, String command) {
    targets.add("| " + what + " | " + target + " | " + measured + " | " + result + " | `" + command + "` |");
  }

  /**
   * A cost added per call, at most {@code limitNanos}. A negative median means the run's noise was larger than the
   * cost itself: that is no evidence of a pass, so it is reported as inconclusive.
   */
  private void addedCostTarget(String what, List<Double> added, double limitNanos, String command) {
    double m = median(added);
    String result = m < 0 ? "**inconclusive** (noise larger than the cost)" : m <= limitNanos ? "**pass**" : "**FAIL**";
    result(what, String.format(Locale.ROOT, "≤ %.0f ns", limitNanos), mmm(added, "%.0f") + " ns", result, command);
  }

  private String cmd(String only, String bench) {
    return BenchmarkSuite.command(only, bench, false);
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** What JFR showed for the unflagged miss (kept with the figures it explains). */
  static final String UNFLAGGED_PROFILE =
      "**Where the unflagged time goes.** With nothing flagged, a file open still goes through the policy: the "
          + "default policy's credential and persistence triggers must see every open. Measured without the agent "
          + "(the gate and engine alone, `default.yaml`, a read of a file under `/tmp`, JFR execution samples), the "
          + "decision takes about 200 ns: a third in the allow-list's and triggers' path checks (literal prefix "
          + "tests of each glob), a fifth in `Context.current()` for the `in_request` clauses (credential trigger, "
          + "look-back), an eighth in checking that the path is absolute and normal, the rest in the rule scan "
          + "itself. The remainder of the per-call difference (advice entry and exit, the gate's thread-local "
          + "depth, the instrumented JDK method's larger body) was not broken down further. Environment reads and "
          + "DNS lookups, which no default trigger watches outside a request, add 1-17 ns.\n\n";

  void perCall(Map<String, Map<String, List<Double>>> scores, Map<String, Long> exported, int rounds) {
    StringBuilder b = sections;
    b.append("## Per-call cost under the real agent\n\n")
        .append("JMH (`OsCallBenchmark`), average time per call, one forked JVM per call and configuration; the ")
        .append("configurations alternate within each of ").append(rounds).append(" round(s), and every ratio or ")
        .append("difference is taken between figures of the same round. Cells: min / median / max over the rounds.\n\n");
    for (String c : BenchmarkSuite.CONFIGS) {
      b.append("- `").append(c).append("`: ").append(BenchmarkSuite.CONFIG_TEXT.get(c)).append('\n');
    }
    b.append("\n| call | no agent (ns) | agent alone (ns) | unflagged (ns) | look-back (ns) | capture+export (ns) |")
        .append(" unflagged / agent | look-back − unflagged (ns) | capture − unflagged (ns) |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (var e : scores.entrySet()) {
      String call = e.getKey();
      Map<String, List<Double>> s = e.getValue();
      b.append("| `").append(call).append("` ");
      for (String c : BenchmarkSuite.CONFIGS) {
        b.append("| ").append(String.format(Locale.ROOT, "%.0f", median(s.get(c)))).append(' ');
      }
      b.append("| ").append(mmm(ratio(s, "unflagged", "agent"), "%.3f")).append(' ')
          .append("| ").append(mmm(diff(s, "lookback", "unflagged"), "%.0f")).append(' ')
          .append("| ").append(mmm(diff(s, "capture", "unflagged"), "%.0f")).append(" |\n");
    }
    b.append("\nAPI spans the loopback receiver got from each configuration (all rounds): ");
    List<String> parts = new ArrayList<>();
    for (var e : exported.entrySet()) {
      if (!e.getKey().endsWith("/none") && !e.getKey().endsWith("/agent")) {
        parts.add("`" + e.getKey() + "` " + e.getValue());
      }
    }
    b.append(String.join(", ", parts)).append(". Unflagged and look-back runs must export none (nothing triggered); ")
        .append("capture runs export what the batch processor could take at JMH's unthrottled call rate (its queue ")
        .append("drops beyond 16384 waiting spans — see the sustained-rate row for the no-loss figure).\n\n")
        .append(UNFLAGGED_PROFILE);

    for (String call : List.of("fileOpenRead", "fileOpenWrite")) {
      ratioTarget(scores, call, "unflagged / agent alone, file open (" + call + ")", 1.03);
    }
    ratioTarget(scores, "processStart", "unflagged / agent alone, exec (processStart)", 1.01);
    ratioTarget(scores, "socketConnect", "unflagged / agent alone, connect (socketConnect)", 1.03);
    for (String call : List.of("fileOpenRead", "fileOpenWrite", "dnsLookup", "getenv")) {
      if (scores.containsKey(call)) {
        addedCostTarget("look-back recording, added per call (" + call + ")",
            diff(scores.get(call), "lookback", "unflagged"), 100, cmd("percall", call));
      }
    }
    for (String call : List.of("fileOpenRead", "fileOpenWrite", "socketConnect", "dnsLookup", "getenv")) {
      if (scores.containsKey(call)) {
        addedCostTarget("captured and exported, added per call (" + call + ")",
            diff(scores.get(call), "capture", "unflagged"), 600, cmd("percall", call));
      }
    }
    for (String call : List.of("fileOpenRead", "socketConnect")) {
      if (scores.containsKey(call)) {
        long n = exported.getOrDefault(call + "/unflagged", 0L) + exported.getOrDefault(call + "/lookback", 0L);
        target("nothing exported unflagged or look-back only (" + call + ")", "0 API spans", n + " API spans",
            n == 0, cmd("percall", call));
      }
    }
  }

  private void ratioTarget(Map<String, Map<String, List<Double>>> scores, String call, String what, double max) {
    if (!scores.containsKey(call)) {
      return;
    }
    List<Double> r = ratio(scores.get(call), "unflagged", "agent");
    target(what, "≤ " + max, mmm(r, "%.3f"), median(r) <= max, cmd("percall", call));
  }

  private static List<Double> ratio(Map<String, List<Double>> s, String a, String b) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < s.get(a).size(); i++) {
      out.add(s.get(a).get(i) / s.get(b).get(i));
    }
    return out;
  }

  private static List<Double> diff(Map<String, List<Double>> s, String a, String b) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < s.get(a).size(); i++) {
      out.add(s.get(a).get(i) - s.get(b).get(i));
    }
    return out;
  }

  void decision(Map<String, Double> byParams, Map<String, Double> captureCost) {
    sections.append("## Decision path\n\n")
        .append("JMH (`DecisionBenchmark`): one file open through the real gate and engine, no agent and no I/O. ")
        .append("The policy has N rules: N−1 allow-list entries (`action: ignore`) and a credential trigger, so the ")
        .append("gate passes file opens to the engine as under `default.yaml`. *match*: the path is covered by the ")
        .append("last allow rule (a full scan, then ignored); *miss*: no rule covers it (a full scan, then counted ")
        .append("and dropped). Reproduce: `").append(cmd("decision", null)).append("`.\n\n")
        .append("| rules | match (ns/call) | miss (ns/call) |\n|---|---|---|\n");
    for (String rules : List.of("10", "200")) {
      sections.append("| ").append(rules).append(" | ")
          .append(fmt(byParams.get(rules + "/match"))).append(" | ")
          .append(fmt(byParams.get(rules + "/miss"))).append(" |\n");
    }
    sections.append("\n### Where a captured call's time goes\n\n")
        .append("JMH (`CaptureBenchmark`): one environment read captured under a raised flag, through the real gate ")
        .append("and engine into the SDK's batch processor (its exporter discards), no agent, no I/O; with and ")
        .append("without the application-frame lookup (`settings.caller.enabled`). The lookup is a `StackWalker` walk ")
        .append("down to the first application frame plus the frame's file and line; JFR shows the rest split between ")
        .append("attribute building (the SDK sorts and copies the ~15 attributes), redaction and bounding of the ")
        .append("text values, and span start/end.\n\n| caller frame | ns per captured call |\n|---|---|\n")
        .append("| on (default) | ").append(fmt(captureCost.get("true"))).append(" |\n")
        .append("| off | ").append(fmt(captureCost.get("false"))).append(" |\n\n");
  }

  private static String fmt(Double d) {
    return d == null ? "n/a" : String.format(Locale.ROOT, "%.0f", d);
  }

  void startup(Map<String, List<BenchmarkSuite.ProcessRun>> byConfig) {
    List<Double> agentWall = walls(byConfig.get("agent"));
    List<Double> extWall = walls(byConfig.get("unflagged"));
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < agentWall.size(); i++) {
      ratios.add(extWall.get(i) / agentWall.get(i));
    }
    sections.append("## Start-up and peak memory of a small application\n\n")
        .append("`StartupApp` (reads a file 100 times, writes one, a loopback connection, starts `/bin/true`, reads ")
        .append("the environment, exits), run ").append(agentWall.size()).append(" times per configuration, the ")
        .append("configurations alternating; wall time from process start to exit, and the process's own peak ")
        .append("resident set size (`VmHWM`). Cells: min / median / max. Reproduce: `").append(cmd("startup", null))
        .append("`.\n\n| configuration | wall (ms) | peak RSS (MiB) |\n|---|---|---|\n");
    for (var e : byConfig.entrySet()) {
      List<Double> rss = new ArrayList<>();
      e.getValue().forEach(r -> rss.add(r.peakKb() / 1024.0));
      sections.append("| ").append(BenchmarkSuite.CONFIG_TEXT.get(e.getKey())).append(" | ")
          .append(mmm(walls(e.getValue()), "%.0f")).append(" | ").append(mmm(rss, "%.0f")).append(" |\n");
    }
    sections.append("\nWall-time ratio agent + extension / agent alone, per alternating pair: ")
        .append(mmm(ratios, "%.3f")).append(".\n\n");
    target("start-up wall time, agent + extension / agent alone", "≤ 1.05", mmm(ratios, "%.3f"),
        median(ratios) <= 1.05, cmd("startup", null));
  }

  private static List<Double> walls(List<BenchmarkSuite.ProcessRun> runs) {
    List<Double> out = new ArrayList<>();
    runs.forEach(r -> out.add(r.wallMillis()));
    return out;
  }

  void export(int count, List<Double> stock, List<Double> ours, List<Double> spool) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < stock.size(); i++) {
      ratios.add(ours.get(i) / stock.get(i));
    }
    sections.append("## Export throughput\n\n")
        .append(count).append(" spans shaped like captured file opens (10 attributes), exported in batches of ")
        .append(ExportThroughput.BATCH).append(" to the loopback OTLP/gRPC receiver, timed until the receiver has ")
        .append("decoded all of them. *stock*: the SDK's `OtlpGrpcSpanExporter`; *osapi-monitor*: the write-ahead ")
        .append("disk spool in front of the same exporter (every batch on disk before it is sent); *spool, backend ")
        .append("down*: the rate at which batches are made safe on disk while the backend refuses connections. ")
        .append("Cells: min / median / max over the rounds. Reproduce: `").append(cmd("export", null)).append("`.\n\n")
        .append("| path | spans/s |\n|---|---|\n")
        .append("| stock OTLP exporter | ").append(mmm(stock, "%.0f")).append(" |\n")
        .append("| osapi-monitor (spool + OTLP exporter) | ").append(mmm(ours, "%.0f")).append(" |\n")
        .append("| spool alone, backend down | ").append(mmm(spool, "%.0f")).append(" |\n\n");
    target("export throughput, osapi-monitor / stock", "≥ 1.0", mmm(ratios, "%.3f"), median(ratios) >= 1.0,
        cmd("export", null));
    target("spool write rate, backend down", "≥ 100k spans/s", mmm(spool, "%.0f") + " spans/s",
        median(spool) >= 100_000, cmd("export", null));
  }

  void sustained(int rate, int seconds, long calls, double elapsed, long received, long later) {
    double achieved = calls / elapsed;
    long lost = calls - received - later;
    sections.append("## Sustained capture\n\n")
        .append("`PacedWorkload` under `capture-all.yaml` with OTLP/gRPC export: ").append(rate)
        .append(" file opens per second for ").append(seconds).append(" s (paced per millisecond), then exit; the ")
        .append("receiver counts the API spans of the workload's read opens. What the exiting JVM could not deliver ")
        .append("within its shutdown allowance (8 s) stays in the disk spool; a second JVM started on the same spool, ")
        .append("making no calls, delivers it (*at the next start*). Reproduce: `").append(cmd("sustained", null))
        .append("`.\n\n| calls | achieved rate (calls/s) | spans received before exit | at the next start | lost |\n")
        .append("|---|---|---|---|---|\n")
        .append("| ").append(calls).append(" | ").append(String.format(Locale.ROOT, "%.0f", achieved)).append(" | ")
        .append(received).append(" | ").append(later).append(" | ").append(lost).append(" |\n\n");
    target("no span lost at " + rate + " captured calls/s sustained", "0 lost at ≥ " + (rate * 95 / 100) + "/s",
        lost + " lost at " + String.format(Locale.ROOT, "%.0f", achieved) + "/s"
            + (later > 0 ? " (" + later + " delivered at the next start)" : ""),
        lost == 0 && achieved >= rate * 0.95, cmd("sustained", null));
  }

  void memory(int rate, int seconds, List<long[]> samples, long calls, long received, LookbackMemory.Result ring) {
    sections.append("## Memory\n\n")
        .append("`PacedWorkload` under `capture-all.yaml` with export, ").append(rate).append(" captured calls/s for ")
        .append(seconds).append(" s; the workload samples its heap after a full GC (`System.gc()`, then ")
        .append("`MemoryMXBean` heap used). ").append(calls).append(" calls, ").append(received)
        .append(" spans received. Reproduce: `").append(cmd("memory", null)).append("`.\n\n")
        .append("| second | heap used after GC (MiB) |\n|---|---|\n");
    for (long[] s : samples) {
      sections.append("| ").append(s[0]).append(" | ")
          .append(String.format(Locale.ROOT, "%.1f", s[1] / 1048576.0)).append(" |\n");
    }
    int third = Math.max(1, samples.size() / 3);
    List<Double> first = new ArrayList<>();
    List<Double> last = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      if (i < third) {
        first.add((double) samples.get(i)[1]);
      } else if (i >= samples.size() - third) {
        last.add((double) samples.get(i)[1]);
      }
    }
    boolean enough = samples.size() >= 3;
    double growth = enough ? median(last) - median(first) : Double.NaN;
    double allowed = enough ? Math.max(0.10 * median(first), 4 * 1048576.0) : 0;
    sections.append("\nGrowth, median of the last third of the samples minus median of the first third: ")
        .append(String.format(Locale.ROOT, "%.2f MiB", growth / 1048576.0))
        .append(" (no growth: within 10 % of the first third or 4 MiB, whichever is larger).\n\n")
        .append("Look-back ring: ").append(ring.records()).append(" recorded file opens hold ")
        .append(String.format(Locale.ROOT, "%.2f MiB", ring.bytes() / 1048576.0)).append(" of heap, ")
        .append(ring.perRecord()).append(" bytes per record (heap after GC before and after filling the ring; the ")
        .append("paths themselves belong to the application and are not counted).\n\n");
    target("heap after GC over the run at " + rate + " captured calls/s", "no growth",
        String.format(Locale.ROOT, "%+.2f MiB", growth / 1048576.0), enough && growth <= allowed,
        cmd("memory", null));
  }

  // ---------------------------------------------------------------------------------------------------------------

  String render() {
    StringBuilder b = new StringBuilder();
    b.append("# osapi-monitor benchmarks\n\n")
        .append("Written by `benchmarks/run.sh").append(quick ? " --quick" : "").append("` on ")
        .append(BenchmarkSuite.now()).append(" in ").append(Math.round(elapsedSeconds)).append(" s")
        .append(quick ? " — **quick mode**: one round, short iterations; the figures are indicative only. "
            + "`benchmarks/run.sh` (no flag) gives the full figures." : ".").append("\n\n")
        .append("## Method\n\n")
        .append("Every figure with a target is a ratio or a difference of measurements taken in this one run, side ")
        .append("by side: the configurations alternate within each round, so a shared, noisy machine moves both ")
        .append("sides alike. Per-call figures are JMH average times in forked JVMs started with the real agent ")
        .append("(`opentelemetry-javaagent.jar` ").append("for *agent alone*, `osapi-monitor-javaagent.jar` — the same ")
        .append("agent with the extension embedded — for the others); the loopback OTLP receiver runs in the suite's ")
        .append("own JVM. Targets pass on the median; an added cost whose median is negative (noise larger than ")
        .append("the cost) is reported as inconclusive, not as a pass.\n\n")
        .append("## Machine\n\n").append(machine()).append('\n')
        .append("## Targets\n\n| what | target | measured (min / median / max) | result | reproduce |\n")
        .append("|---|---|---|---|---|\n");
    targets.forEach(t -> b.append(t).append('\n'));
    b.append('\n').append(sections);
    return b.toString();
  }

  static String machine() {
    String cpu = "unknown";
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    long memKb = 0;
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return "- CPU: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores available\n"
        + "- memory: " + (memKb / 1024 / 1024) + " GiB\n"
        + "- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + "\n"
        + "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + "\n"
        + "- agent: OpenTelemetry Java agent 2.31.1 (upstream jar and the extended jar)\n";
  }
}
