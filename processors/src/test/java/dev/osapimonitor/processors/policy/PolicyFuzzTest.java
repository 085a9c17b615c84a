package dev.osapimonitor.processors.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Malformed and adversarial policies, generated: random mutations of the shipped policies (deleted, repeated and
 * re-indented lines, swapped types, stray characters), and constructed attacks (alias bombs, deep nesting, huge
 * lists, catastrophic regexes, enormous scalars). Every one is either a valid policy or a {@link PolicyException}
 * naming the file and a line — never another exception, never a hang (the timeout is a hang guard), never an
 * out-of-memory in this test's heap.
 */
class PolicyFuzzTest {

  static List<String> seeds() throws Exception {
    List<String> seeds = new ArrayList<>();
    try (Stream<Path> files = Files.list(Paths.get("..", "examples", "policies"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        seeds.add(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    assertThat(seeds).hasSizeGreaterThanOrEqualTo(4);
    return seeds;
  }

  static String mutate(String text, Random random) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && !lines.isEmpty(); e++) {
      int i = random.nextInt(lines.size());
      String line = lines.get(i);
      switch (random.nextInt(12)) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, line);
        case 2 -> lines.set(i, "  " + line);
        case 3 -> lines.set(i, line.replaceFirst("^\\s+", ""));
        case 4 -> lines.set(i, line.replace(":", " -"));
        case 5 -> lines.set(i, line.replaceFirst(": .*", ": [1, {a: b}, \"x\"]"));
        case 6 -> lines.set(i, line.replaceFirst(": .*", ": {nested: {deeper: [1, 2]}}"));
        case 7 -> lines.set(i, line + "\u0000\u202E\t\"'&*!%@`");
        case 8 -> lines.set(i, line.isEmpty() ? line : line.substring(0, random.nextInt(line.length())));
        case 9 -> lines.set(i, line.replaceFirst(": .*", ": 99999999999999999999999"));
        case 10 -> lines.set(i, line.replaceFirst(": .*", java.util.regex.Matcher.quoteReplacement(": \"(a+)+$\"")));
        default -> lines.set(i, line.replaceFirst(": .*", ": " + "x".repeat(random.nextInt(100_000))));
      }
    }
    return String.join("\n", lines);
  }

  static List<String> attacks() {
    List<String> attacks = new ArrayList<>();
    StringBuilder bomb = new StringBuilder("version: 1\nlists:\n  a0: [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      String prev = "a" + (i - 1);
      bomb.append("  a").append(i).append(": [*").append(prev).append(", *").append(prev).append(", *")
          .append(prev).append(", *").append(prev).append(", *").append(prev).append("]\n");
    }
    attacks.add(bomb.toString().replace("a0: [", "a0: &a0 [").replaceAll("  a(\\d): \\[\\*", "  a$1: &a$1 [*"));
    attacks.add("version: 1\nrules: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n");
    attacks.add("version: 1\nrules:\n" + "  - {name: r, match: {family: file}, action: ignore}\n".repeat(50_000));
    attacks.add("version: 1\nlists:\n  big: [" + "\"/x/**\", ".repeat(200_000) + "\"/y\"]\n");
    attacks.add("version: 1\nrules:\n  - name: r\n    match: {family: file, path_regex: \"(a+)+$\"}\n"
        + "    action: capture\n");
    attacks.add("version: 1\nrules:\n  - name: r\n    match: {family: file, path_regex: \"((a|aa)*)*b\"}\n"
        + "    action: capture\n");
    attacks.add("version: 1\ndescription: \"" + "x".repeat(5_000_000) + "\"\n");
    attacks.add("version: 1\nrules:\n  - name: r\n    match: {family: file, path: \"" + "{a,b}".repeat(30)
        + "\"}\n    action: capture\n");
    attacks.add("version: 1\n" + "x: &x {a: b}\n".repeat(3) + "rules: *x\n");
    attacks.add("version: 1\n!!java.lang.Runtime {}\n");
    attacks.add("!!binary AAAA\n");
    attacks.add("version: !!float 1\n");
    attacks.add("\uFEFF\u0000version: 1\n");
    attacks.add("version: 1\nflags:\n  - {name: f, reason: r, owner: o, ttl: 99999999999d}\n");
    attacks.add("version: 1\nwindows:\n  - {name: w, reason: r, owner: o, schedule: \"* * * * * * *\"}\n");
    attacks.add("version: 1\nsettings: {max_attribute_length: -1, reload_interval: 0s}\n");
    attacks.add("");
    attacks.add("---\n---\n---\n");
    attacks.add("version: 1\n...\nversion: 2\n");
    return attacks;
  }

  private static void check(String text, int index, List<String> failures) {
    try {
      PolicyParser.parse(text, "fuzz.yaml");
    } catch (PolicyException e) {
      if (!e.getMessage().startsWith("fuzz.yaml")) {
        failures.add("#" + index + ": message does not name the file: " + e.getMessage());
      }
    } catch (Throwable t) {
      failures.add("#" + index + ": " + t + " for input starting "
          + text.substring(0, Math.min(200, text.length())).replace("\n", "\\n"));
    }
  }

  @Test
  @Timeout(300)
  void everyMutantIsAPolicyOrAClearError() throws Exception {
    List<String> seeds = seeds();
    Random random = new Random(20261203L);
    List<String> failures = new ArrayList<>();
    int rejected = 0;
    for (int i = 0; i < 3000; i++) {
      String mutant = mutate(seeds.get(i % seeds.size()), random);
      try {
        PolicyParser.parse(mutant, "fuzz.yaml");
      } catch (PolicyException e) {
        rejected++;
      } catch (Throwable t) {
        // reported below with the input
      }
      check(mutant, i, failures);
    }
    assertThat(failures).isEmpty();
    assertThat(rejected).as("most mutants are invalid").isGreaterThan(1000);
  }

  @Test
  @Timeout(120)
  void constructedAttacksAreRejectedWithFileAndLine() {
    List<String> failures = new ArrayList<>();
    List<String> attacks = attacks();
    for (int i = 0; i < attacks.size(); i++) {
      String attack = attacks.get(i);
      try {
        PolicyParser.parse(attack, "fuzz.yaml");
        failures.add("#" + i + " was accepted");
      } catch (PolicyException e) {
        if (!e.getMessage().matches("(?s)fuzz\\.yaml(:\\d+)?: .*")) {
          failures.add("#" + i + ": " + e.getMessage());
        }
      } catch (Throwable t) {
        failures.add("#" + i + ": " + t);
      }
    }
    assertThat(failures).isEmpty();
  }
}
