package dev.osapimonitor.processors.policy;

import dev.osapimonitor.bootstrap.OsApiOps;
import dev.osapimonitor.processors.match.AddressRange;
import dev.osapimonitor.processors.match.BoundedRegex;
import dev.osapimonitor.processors.match.CallMatcher;
import dev.osapimonitor.processors.match.Glob;
import dev.osapimonitor.processors.match.Matchers;
import dev.osapimonitor.processors.match.Matchers.Field;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads and validates a policy in full: a policy either loads completely or is rejected with one
 * {@link PolicyException} that names the file, line and key path. Nothing is half-applied.
 */
public final class PolicyParser {

  /** Largest policy accepted, in characters (also bounds the work of a hostile file). */
  public static final int MAX_POLICY_CHARS = 1 << 20;
  /** Largest number of rules. */
  public static final int MAX_RULES = 2000;
  /** Largest total number of items across all lists after expansion. */
  public static final int MAX_LIST_ITEMS = 100_000;

  static final Set<String> TOP_KEYS =
      keys(
          "version", "mode", "description", "default_action", "settings", "lists", "redaction", "lookback",
          "flags", "windows", "rules");
  static final Set<String> SETTINGS_KEYS =
      keys(
          "flags_dir", "reload_interval", "max_attribute_length", "max_command_args", "caller",
          "propagate_trace_context", "window_rollover", "dry_run_report_interval", "enduser_attribute");
  static final Set<String> CALLER_KEYS = keys("enabled", "skip_packages");
  static final Set<String> ROLLOVER_KEYS = keys("max_duration", "max_spans");
  static final Set<String> REDACTION_KEYS = keys("patterns", "secret_flags");
  static final Set<String> LOOKBACK_KEYS = keys("enabled", "max_records", "max_age", "match");
  static final Set<String> FLAG_KEYS = keys("name", "reason", "owner", "ticket", "expires", "ttl", "scope");
  static final Set<String> SCOPE_KEYS = keys("families", "users", "processes");
  static final Set<String> WINDOW_KEYS =
      keys("name", "reason", "timezone", "days", "start", "duration", "from", "until", "scope");
  static final Set<String> RULE_KEYS =
      keys(
          "name", "desc", "match", "action", "conditions", "trigger", "exceptions", "rate_limit", "dedup", "tags",
          "enabled");
  static final Set<String> TRIGGER_KEYS = keys("flag", "ttl", "scope", "lookback");
  static final Set<String> EXCEPTION_KEYS = keys("name", "match");
  static final Set<String> RATE_LIMIT_KEYS = keys("per_second", "burst");
  static final Set<String> MATCH_KEYS =
      keys(
          "family", "operation", "path", "path_regex", "mode", "executable", "executable_regex", "command",
          "command_regex", "peer", "peer_port", "transport", "name", "name_regex", "user", "enduser", "thread",
          "caller", "in_request", "request", "after_startup");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private final String source;
  private Map<String, List<String>> lists = Map.of();

  private PolicyParser(String source) {
    this.source = source;
  }

  /** Reads, validates and compiles a policy file. */
  public static Policy parseFile(Path file) throws PolicyException {
    String name = file.toString();
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_POLICY_CHARS * 4L) {
        throw new PolicyException(name, 0, "", "file too large (more than " + MAX_POLICY_CHARS + " characters)");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PolicyException(name, 0, "", "cannot read: " + e);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new PolicyException(name, 0, "", "not valid UTF-8");
    }
    return parse(text, name);
  }

  /** Validates and compiles policy text; {@code source} names it in errors. */
  public static Policy parse(String text, String source) throws PolicyException {
    if (text.length() > MAX_POLICY_CHARS) {
      throw new PolicyException(source, 0, "", "policy too large (more than " + MAX_POLICY_CHARS + " characters)");
    }
    Node root = compose(text, source);
    return new PolicyParser(source).read(YamlView.root(root, source), sha256(text));
  }

  /**
   * Reads a policy embedded in a larger YAML file, e.g. the {@code policy} node under
   * {@code instrumentation/development: java: osapi:} of the agent's declarative configuration. Errors name the
   * file and the line in it; key paths are relative to the policy node. The hash covers the whole file.
   *
   * @param path the mapping keys leading to the policy node
   */
  public static Policy parseEmbedded(Path file, List<String> path) throws PolicyException {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PolicyException(name, 0, "", "cannot read: " + e);
    }
    Node node = compose(text, name);
    YamlView view = YamlView.root(node, name);
    for (String key : path) {
      if (!view.isMapping()) {
        throw view.error("expected a mapping on the way to " + String.join(".", path));
      }
      YamlView next = view.mapping().get(key);
      if (next == null) {
        throw view.error("no '" + key + "' (looking for the policy at " + String.join(" / ", path) + ")");
      }
      view = next;
    }
    return new PolicyParser(name + " [" + String.join("/", path) + "]")
        .read(YamlView.root(nodeOf(view), name), sha256(text));
  }

  private static Node nodeOf(YamlView view) {
    return view.node();
  }

  static Node compose(String text, String source) throws PolicyException {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(source)
            .setAllowDuplicateKeys(false)
            .setAllowRecursiveKeys(false)
            .setMaxAliasesForCollections(50)
            .setCodePointLimit(MAX_POLICY_CHARS)
            .setUseMarks(true)
            .build();
    try {
      Optional<Node> node = new Compose(settings).composeString(text);
      if (node.isEmpty()) {
        throw new PolicyException(source, 0, "", "empty policy (expected at least 'version: 1')");
      }
      return node.get();
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
      int line = mark.map(m -> m.getLine() + 1).orElse(0);
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
      if (e.getContext() != null && problem != null && problem.contains("found duplicate key")) {
        problem = e.getContext() + ", " + problem;
      }
      throw new PolicyException(source, line, "", "YAML syntax: " + oneLine(problem));
    } catch (YamlEngineException e) {
      throw new PolicyException(source, 0, "", "YAML: " + oneLine(e.getMessage()));
    } catch (StackOverflowError e) {
      throw new PolicyException(source, 0, "", "YAML nesting too deep");
    }
  }

  private static String oneLine(String s) {
    return s == null ? "invalid" : s.replaceAll("\\s+", " ").trim();
  }

  static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(64);
      for (byte b : digest) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Policy read(YamlView root, String sha256) throws PolicyException {
    if (!root.isMapping()) {
      throw root.error("a policy is a mapping with at least 'version: 1', found " + root.describe());
    }
    Map<String, YamlView> top = root.mapping();
    YamlView.checkKeys(root, top, TOP_KEYS);
    YamlView version = top.get("version");
    if (version == null) {
      throw root.error("missing required key 'version' (the only version is 1)");
    }
    if (version.integer(1, 1) != 1) {
      throw version.error("unsupported version");
    }
    boolean dryRun = false;
    if (top.containsKey("mode")) {
      String mode = top.get("mode").string();
      if (mode.equals("dry-run")) {
        dryRun = true;
      } else if (!mode.equals("enforce")) {
        throw top.get("mode").error("must be 'enforce' or 'dry-run', found '" + mode + "'");
      }
    }
    String description = top.containsKey("description") ? top.get("description").string() : "";
    Action defaultAction = Action.CAPTURE;
    if (top.containsKey("default_action")) {
      defaultAction = action(top.get("default_action"));
      if (defaultAction == Action.TRIGGER) {
        throw top.get("default_action").error("must be 'capture' or 'ignore'");
      }
    }
    if (top.containsKey("lists")) {
      lists = readLists(top.get("lists"));
    }
    Settings settings = top.containsKey("settings") ? readSettings(top.get("settings")) : Settings.defaults();
    Redaction redaction = top.containsKey("redaction") ? readRedaction(top.get("redaction")) : Redaction.none();
    LookbackSpec lookback =
        top.containsKey("lookback") ? readLookback(top.get("lookback")) : LookbackSpec.disabled();
    List<FlagSpec> flags = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (top.containsKey("flags")) {
      for (YamlView item : top.get("flags").sequence()) {
        FlagSpec flag = readFlag(item);
        if (!names.add(flag.name())) {
          throw item.error("duplicate flag or window name '" + flag.name() + "'");
        }
        flags.add(flag);
      }
    }
    List<WindowSpec> windows = new ArrayList<>();
    if (top.containsKey("windows")) {
      for (YamlView item : top.get("windows").sequence()) {
        WindowSpec window = readWindow(item);
        if (!names.add(window.name())) {
          throw item.error("duplicate flag or window name '" + window.name() + "'");
        }
        windows.add(window);
      }
    }
    List<RuleSpec> rules = new ArrayList<>();
    if (top.containsKey("rules")) {
      List<YamlView> items = top.get("rules").sequence();
      if (items.size() > MAX_RULES) {
        throw top.get("rules").error("too many rules: " + items.size() + " (at most " + MAX_RULES + ")");
      }
      Set<String> ruleNames = new HashSet<>();
      for (YamlView item : items) {
        RuleSpec rule = readRule(item);
        if (rule == null) {
          continue; // enabled: false
        }
        if (!ruleNames.add(rule.name())) {
          throw item.error("duplicate rule name '" + rule.name() + "'");
        }
        rules.add(rule);
      }
    }
    return new Policy(
        source,
        sha256,
        dryRun,
        description,
        defaultAction,
        settings,
        List.copyOf(rules),
        List.copyOf(flags),
        List.copyOf(windows),
        lookback,
        redaction);
  }

  // ---- lists

  private Map<String, List<String>> readLists(YamlView node) throws PolicyException {
    Map<String, YamlView> raw = node.mapping();
    Map<String, List<YamlView>> items = new LinkedHashMap<>();
    for (Map.Entry<String, YamlView> e : raw.entrySet()) {
      if (!NAME.matcher(e.getKey()).matches()) {
        throw e.getValue().error("invalid list name (letters, digits, '_', '-', '.', ':', '@')");
      }
      YamlView value = e.getValue();
      items.put(e.getKey(), value.isNull() ? List.of() : value.scalarItems());
    }
    Map<String, List<String>> expanded = new HashMap<>();
    int[] total = {0};
    for (String name : items.keySet()) {
      expandList(name, items, expanded, new ArrayDeque<>(), total);
    }
    return expanded;
  }

  private List<String> expandList(
      String name,
      Map<String, List<YamlView>> items,
      Map<String, List<String>> expanded,
      Deque<String> chain,
      int[] total)
      throws PolicyException {
    List<String> done = expanded.get(name);
    if (done != null) {
      return done;
    }
    if (chain.contains(name)) {
      List<String> cycle = new ArrayList<>(chain);
      java.util.Collections.reverse(cycle);
      cycle.add(name);
      YamlView first = items.get(cycle.get(0)).isEmpty() ? null : items.get(cycle.get(0)).get(0);
      String message = "list reference cycle: " + String.join(" -> ", cycle);
      throw first != null ? first.error(message) : new PolicyException(source, 0, "lists." + name, message);
    }
    chain.push(name);
    List<String> out = new ArrayList<>();
    for (YamlView item : items.get(name)) {
      String value = item.string();
      if (value.startsWith("$")) {
        String ref = value.substring(1);
        if (!items.containsKey(ref)) {
          throw item.error("unknown list '" + ref + "'");
        }
        out.addAll(expandList(ref, items, expanded, chain, total));
      } else {
        out.add(value);
      }
      if (out.size() > MAX_LIST_ITEMS || (total[0] += 1) > MAX_LIST_ITEMS * 10) {
        throw item.error("lists expand to more than " + MAX_LIST_ITEMS + " items");
      }
    }
    chain.pop();
    List<String> result = List.copyOf(out);
    expanded.put(name, result);
    return result;
  }

  /** String values of a match key, with {@code $list} references expanded; each value keeps its node for errors. */
  private List<Valued> values(YamlView node) throws PolicyException {
    List<Valued> out = new ArrayList<>();
    for (YamlView item : node.scalarItems()) {
      String value = item.string();
      if (value.startsWith("$")) {
        List<String> list = lists.get(value.substring(1));
        if (list == null) {
          throw item.error("unknown list '" + value.substring(1) + "'");
        }
        for (String v : list) {
          out.add(new Valued(v, item));
        }
      } else {
        out.add(new Valued(value, item));
      }
      if (out.size() > MAX_LIST_ITEMS) {
        throw item.error("more than " + MAX_LIST_ITEMS + " values");
      }
    }
    if (out.isEmpty()) {
      throw node.error("empty value list matches nothing; remove the key instead");
    }
    return out;
  }

  private record Valued(String value, YamlView node) {}

  // ---- settings, redaction, lookback

  private Settings readSettings(YamlView node) throws PolicyException {
    Settings d = Settings.defaults();
    Map<String, YamlView> m = node.mapping();
    YamlView.checkKeys(node, m, SETTINGS_KEYS);
    Path flagsDir = d.flagsDir();
    if (m.containsKey("flags_dir")) {
      String dir = m.get("flags_dir").string();
      try {
        flagsDir = Paths.get(dir);
      } catch (RuntimeException e) {
        throw m.get("flags_dir").error("invalid path: " + e.getMessage());
      }
      if (!flagsDir.isAbsolute()) {
        throw m.get("flags_dir").error("must be an absolute path");
      }
    }
    Duration reload =
        m.containsKey("reload_interval")
            ? duration(m.get("reload_interval"), Duration.ofMillis(100), Duration.ofHours(1))
            : d.reloadInterval();
    int maxLength =
        m.containsKey("max_attribute_length")
            ? (int) m.get("max_attribute_length").integer(64, 1 << 20)
            : d.maxAttributeLength();
    int maxArgs =
        m.containsKey("max_command_args")
            ? (int) m.get("max_command_args").integer(1, 100_000)
            : d.maxCommandArgs();
    boolean callerEnabled = d.callerEnabled();
    List<String> skip = d.callerSkipPackages();
    if (m.containsKey("caller")) {
      Map<String, YamlView> c = m.get("caller").mapping();
      YamlView.checkKeys(m.get("caller"), c, CALLER_KEYS);
      if (c.containsKey("enabled")) {
        callerEnabled = c.get("enabled").bool();
      }
      if (c.containsKey("skip_packages")) {
        skip = List.copyOf(c.get("skip_packages").stringList());
      }
    }
    boolean propagate =
        m.containsKey("propagate_trace_context")
            ? m.get("propagate_trace_context").bool()
            : d.propagateTraceContext();
    Duration maxDuration = d.windowMaxDuration();
    int maxSpans = d.windowMaxSpans();
    if (m.containsKey("window_rollover")) {
      Map<String, YamlView> r = m.get("window_rollover").mapping();
      YamlView.checkKeys(m.get("window_rollover"), r, ROLLOVER_KEYS);
      if (r.containsKey("max_duration")) {
        maxDuration = duration(r.get("max_duration"), Duration.ofSeconds(1), Duration.ofDays(1));
      }
      if (r.containsKey("max_spans")) {
        maxSpans = (int) r.get("max_spans").integer(1, 10_000_000);
      }
    }
    Duration report =
        m.containsKey("dry_run_report_interval")
            ? duration(m.get("dry_run_report_interval"), Duration.ofSeconds(1), Duration.ofDays(1))
            : d.dryRunReportInterval();
    String enduser =
        m.containsKey("enduser_attribute") ? m.get("enduser_attribute").string() : d.enduserAttribute();
    return new Settings(
        flagsDir, reload, maxLength, maxArgs, callerEnabled, skip, propagate, maxDuration, maxSpans, report,
        enduser);
  }

  private Redaction readRedaction(YamlView node) throws PolicyException {
    Map<String, YamlView> m = node.mapping();
    YamlView.checkKeys(node, m, REDACTION_KEYS);
    List<Pattern> patterns = new ArrayList<>();
    if (m.containsKey("patterns")) {
      for (YamlView item : m.get("patterns").scalarItems()) {
        String regex = item.string();
        try {
          BoundedRegex.compile(regex); // same safety checks as match regexes
          patterns.add(Pattern.compile(regex));
        } catch (IllegalArgumentException e) {
          throw item.error(e.getMessage());
        }
      }
    }
    List<String> flags = new ArrayList<>();
    if (m.containsKey("secret_flags")) {
      for (YamlView item : m.get("secret_flags").scalarItems()) {
        String flag = item.string();
        if (!flag.startsWith("-") || flag.length() < 2) {
          throw item.error("a secret flag starts with '-', e.g. --db-password");
        }
        flags.add(flag);
      }
    }
    return new Redaction(List.copyOf(patterns), List.copyOf(flags));
  }

  private LookbackSpec readLookback(YamlView node) throws PolicyException {
    Map<String, YamlView> m = node.mapping();
    YamlView.checkKeys(node, m, LOOKBACK_KEYS);
    boolean enabled = !m.containsKey("enabled") || m.get("enabled").bool();
    int maxRecords =
        m.containsKey("max_records")
            ? (int) m.get("max_records").integer(1, 10_000_000)
            : LookbackSpec.DEFAULT_MAX_RECORDS;
    Duration maxAge =
        m.containsKey("max_age")
            ? duration(m.get("max_age"), Duration.ofSeconds(1), Duration.ofDays(1))
            : LookbackSpec.DEFAULT_MAX_AGE;
    long opMask = allOps();
    CallMatcher match = Matchers.ANY;
    if (m.containsKey("match")) {
      YamlView matchNode = m.get("match");
      if (matchNode.isSequence()) {
        // Any of several matches, each with its own families/operations.
        List<YamlView> items = matchNode.sequence();
        if (items.isEmpty()) {
          throw matchNode.error("an empty list of matches records nothing; set 'enabled: false' instead");
        }
        long[] masks = new long[items.size()];
        CallMatcher[] matchers = new CallMatcher[items.size()];
        opMask = 0;
        for (int i = 0; i < items.size(); i++) {
          CompiledMatch compiled = readMatch(items.get(i), true);
          masks[i] = compiled.opMask;
          matchers[i] = compiled.matcher;
          opMask |= compiled.opMask;
        }
        match = Matchers.anyOf(masks, matchers);
      } else {
        CompiledMatch compiled = readMatch(matchNode, true);
        opMask = compiled.opMask;
        match = compiled.matcher;
      }
    }
    return new LookbackSpec(enabled, maxRecords, maxAge, enabled ? opMask : 0, match);
  }

  // ---- flags and windows

  /** The keys of a flag file: a flag without {@code name} (the file name is the name). */
  static final Set<String> FLAG_FILE_KEYS = keys("reason", "owner", "ticket", "expires", "ttl", "scope");

  /**
   * Reads a flag file of a flags directory: a mapping with the keys of a policy flag except {@code name}, which is
   * the file's name. {@code defaultOwner} (the file's owner) fills a missing {@code owner}.
   */
  public static FlagSpec parseFlagFile(String text, String source, String name, String defaultOwner)
      throws PolicyException {
    if (!NAME.matcher(name).matches()) {
      throw new PolicyException(source, 0, "", "invalid flag name '" + shorten(name) + "' (from the file name)");
    }
    Node node = compose(text, source);
    YamlView view = YamlView.root(node, source);
    Map<String, YamlView> m = view.mapping();
    YamlView.checkKeys(view, m, FLAG_FILE_KEYS);
    Map<String, YamlView> withName = new LinkedHashMap<>(m);
    PolicyParser parser = new PolicyParser(source);
    FlagSpec spec = parser.readFlagEntries(view, withName, name, defaultOwner);
    return spec;
  }

  private FlagSpec readFlag(YamlView node) throws PolicyException {
    Map<String, YamlView> m = node.mapping();
    YamlView.checkKeys(node, m, FLAG_KEYS);
    return readFlagEntries(node, m, name(node, m), null);
  }

  private FlagSpec readFlagEntries(YamlView node, Map<String, YamlView> m, String name, String defaultOwner)
      throws PolicyException {
    String reason = required(node, m, "reason");
    String owner = defaultOwner != null && !m.containsKey("owner") ? defaultOwner : required(node, m, "owner");
    String ticket = m.containsKey("ticket") ? m.get("ticket").string() : "";
    Instant expires = null;
    Duration ttl = null;
    boolean never = false;
    if (m.containsKey("expires") && m.containsKey("ttl")) {
      throw m.get("ttl").error("give either 'expires' or 'ttl', not both");
    }
    if (m.containsKey("expires")) {
      String text = m.get("expires").string();
      if (text.equals("never")) {
        never = true;
      } else {
        expires = instant(m.get("expires"));
      }
    } else if (m.containsKey("ttl")) {
      ttl = duration(m.get("ttl"), Duration.ofSeconds(1), Duration.ofDays(366));
    } else {
      throw node.error("a flag needs 'expires' (a time, or 'never') or 'ttl' (e.g. 4h)");
    }
    Coverage coverage = m.containsKey("scope") ? readCoverage(m.get("scope")) : allCoverage();
    return new FlagSpec(name, reason, owner, ticket, expires, ttl, never, coverage, node.line());
  }

  private WindowSpec readWindow(YamlView node) throws PolicyException {
    Map<String, YamlView> m = node.mapping();
    YamlView.checkKeys(node, m, WINDOW_KEYS);
    String name = name(node, m);
    String reason = required(node, m, "reason");
    if (!m.containsKey("timezone")) {
      throw node.error("a window needs an explicit 'timezone' (e.g. Europe/Berlin or UTC)");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(m.get("timezone").string());
    } catch (DateTimeException e) {
      throw m.get("timezone").error("unknown time zone '" + m.get("timezone").string() + "'");
    }
    Coverage coverage = m.containsKey("scope") ? readCoverage(m.get("scope")) : allCoverage();
    boolean recurring = m.containsKey("days") || m.containsKey("start") || m.containsKey("duration");
    boolean oneOff = m.containsKey("from") || m.containsKey("until");
    if (recurring && oneOff) {
      throw node.error("a window is either recurring (days, start, duration) or one-off (from, until), not both");
    }
    if (recurring) {
      for (String k : List.of("days", "start", "duration")) {
        if (!m.containsKey(k)) {
          throw node.error("a recurring window needs 'days', 'start' and 'duration'; '" + k + "' is missing");
        }
      }
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      for (YamlView item : m.get("days").scalarItems()) {
        days.add(day(item));
      }
      LocalTime start;
      try {
        start = LocalTime.parse(m.get("start").string());
      } catch (DateTimeParseException e) {
        throw m.get("start").error("expected a local time like 22:00, found '" + m.get("start").string() + "'");
      }
      Duration duration = duration(m.get("duration"), Duration.ofMinutes(1), Duration.ofDays(7));
      return new WindowSpec(name, reason, zone, Set.copyOf(days), start, duration, null, null, coverage, node.line());
    }
    if (!m.containsKey("from") || !m.containsKey("until")) {
      throw node.error("a window needs 'days', 'start' and 'duration' (recurring) or 'from' and 'until' (one-off)");
    }
    LocalDateTime from = localDateTime(m.get("from"));
    LocalDateTime until = localDateTime(m.get("until"));
    if (!until.isAfter(from)) {
      throw m.get("until").error("must be after 'from'");
    }
    return new WindowSpec(name, reason, zone, null, null, null, from, until, coverage, node.line());
  }

  private Coverage readCoverage(YamlView node) throws PolicyException {
    Map<String, YamlView> m = node.mapping();
    YamlView.checkKeys(node, m, SCOPE_KEYS);
    long mask = allOps();
    List<String> families = List.of();
    if (m.containsKey("families")) {
      mask = 0;
      List<String> names = new ArrayList<>();
      for (YamlView item : m.get("families").scalarItems()) {
        int family = OsApiOps.findFamily(item.string());
        if (family < 0) {
          throw item.error("unknown family '" + item.string() + "' (known: " + familyNames() + ")");
        }
        mask |= OsApiOps.familyMask(family);
        names.add(item.string());
      }
      families = List.copyOf(names);
    }
    List<Glob> users = m.containsKey("users") ? globs(m.get("users"), (char) 0) : List.of();
    List<Glob> processes = m.containsKey("processes") ? globs(m.get("processes"), (char) 0) : List.of();
    return new Coverage(mask, families, users, processes);
  }

  private static Coverage allCoverage() {
    return new Coverage(allOps(), List.of(), List.of(), List.of());
  }

  // ---- rules

  private RuleSpec readRule(YamlView node) throws PolicyException {
    Map<String, YamlView> m = node.mapping();
    YamlView.checkKeys(node, m, RULE_KEYS);
    String name = name(node, m);
    if (m.containsKey("enabled") && !m.get("enabled").bool()) {
      return null;
    }
    String desc = m.containsKey("desc") ? m.get("desc").string() : "";
    if (!m.containsKey("action")) {
      throw node.error("missing required key 'action' (capture, ignore or trigger)");
    }
    Action action = action(m.get("action"));
    if (!m.containsKey("match")) {
      throw node.error("missing required key 'match' (use 'match: {}' to match every call)");
    }
    CompiledMatch match = readMatch(m.get("match"), false);
    List<RuleSpec.ExceptionSpec> exceptions = new ArrayList<>();
    if (m.containsKey("exceptions")) {
      Set<String> names = new HashSet<>();
      for (YamlView item : m.get("exceptions").sequence()) {
        Map<String, YamlView> e = item.mapping();
        YamlView.checkKeys(item, e, EXCEPTION_KEYS);
        String exceptionName = name(item, e);
        if (!names.add(exceptionName)) {
          throw item.error("duplicate exception name '" + exceptionName + "'");
        }
        if (!e.containsKey("match")) {
          throw item.error("missing required key 'match'");
        }
        exceptions.add(new RuleSpec.ExceptionSpec(exceptionName, readMatch(e.get("match"), false).matcher));
      }
    }
    TriggerSpec trigger = null;
    if (action == Action.TRIGGER) {
      if (!m.containsKey("trigger")) {
        throw node.error("a trigger rule needs a 'trigger' section (ttl, scope, lookback)");
      }
      trigger = readTrigger(m.get("trigger"), name);
    } else if (m.containsKey("trigger")) {
      throw m.get("trigger").error("only allowed with 'action: trigger'");
    }
    List<String> conditions = List.of();
    if (m.containsKey("conditions")) {
      if (action != Action.CAPTURE) {
        throw m.get("conditions").error("only allowed with 'action: capture'");
      }
      List<String> names = new ArrayList<>();
      for (YamlView item : m.get("conditions").scalarItems()) {
        names.add(checkedName(item));
      }
      conditions = List.copyOf(names);
    }
    RateLimit rateLimit = null;
    if (m.containsKey("rate_limit")) {
      Map<String, YamlView> r = m.get("rate_limit").mapping();
      YamlView.checkKeys(m.get("rate_limit"), r, RATE_LIMIT_KEYS);
      if (!r.containsKey("per_second")) {
        throw m.get("rate_limit").error("missing required key 'per_second'");
      }
      double perSecond = r.get("per_second").number(0.001, 1_000_000);
      int burst =
          r.containsKey("burst")
              ? (int) r.get("burst").integer(1, 1_000_000)
              : (int) Math.max(1, Math.ceil(perSecond));
      rateLimit = new RateLimit(perSecond, burst);
    }
    Duration dedup =
        m.containsKey("dedup") ? duration(m.get("dedup"), Duration.ofMillis(1), Duration.ofDays(1)) : null;
    List<String> tags = m.containsKey("tags") ? List.copyOf(m.get("tags").stringList()) : List.of();
    return new RuleSpec(
        name, desc, match.opMask, match.matcher, action, conditions, trigger, List.copyOf(exceptions), rateLimit,
        dedup, tags, node.line());
  }

  private TriggerSpec readTrigger(YamlView node, String ruleName) throws PolicyException {
    Map<String, YamlView> m = node.mapping();
    YamlView.checkKeys(node, m, TRIGGER_KEYS);
    String flag = m.containsKey("flag") ? checkedName(m.get("flag")) : ruleName;
    if (!m.containsKey("ttl")) {
      throw node.error("missing required key 'ttl' (how long the raised flag lasts, e.g. 15m)");
    }
    Duration ttl = duration(m.get("ttl"), Duration.ofSeconds(1), Duration.ofDays(30));
    Scope scope = Scope.PROCESS;
    if (m.containsKey("scope")) {
      String s = m.get("scope").string();
      try {
        scope = Scope.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw m.get("scope").error("must be process, trace or user, found '" + s + "'");
      }
    }
    Duration lookback =
        m.containsKey("lookback")
            ? duration(m.get("lookback"), Duration.ZERO, Duration.ofDays(1))
            : Duration.ZERO;
    return new TriggerSpec(flag, ttl, scope, lookback);
  }

  private static final class CompiledMatch {
    final long opMask;
    final CallMatcher matcher;

    CompiledMatch(long opMask, CallMatcher matcher) {
      this.opMask = opMask;
      this.matcher = matcher;
    }
  }

  private CompiledMatch readMatch(YamlView node, boolean lookback) throws PolicyException {
    Map<String, YamlView> m = node.isNull() ? Map.of() : node.mapping();
    YamlView.checkKeys(node, m, MATCH_KEYS);
    long mask = allOps();
    if (m.containsKey("family")) {
      long families = 0;
      for (YamlView item : m.get("family").scalarItems()) {
        int family = OsApiOps.findFamily(item.string());
        if (family < 0) {
          throw item.error("unknown family '" + item.string() + "' (known: " + familyNames() + ")");
        }
        families |= OsApiOps.familyMask(family);
      }
      mask &= families;
    }
    if (m.containsKey("operation")) {
      long ops = 0;
      for (YamlView item : m.get("operation").scalarItems()) {
        ops |= operation(item, mask);
      }
      mask &= ops;
    }
    List<CallMatcher> clauses = new ArrayList<>();
    for (Map.Entry<String, YamlView> e : m.entrySet()) {
      String key = e.getKey();
      YamlView value = e.getValue();
      long applies = appliesTo(key);
      if ((mask & applies) == 0) {
        throw value.error(
            "'" + key + "' never applies to the operations this match selects"
                + " (it applies to: " + describeOps(applies) + ")");
      }
      mask &= applies;
      switch (key) {
        case "family":
        case "operation":
          break;
        case "path":
          clauses.add(Matchers.text(Field.PATH, globs(value, '/'), List.of(), "path: " + value.stringList()));
          break;
        case "path_regex":
          clauses.add(Matchers.text(Field.PATH, List.of(), regexes(value), "path_regex: " + value.stringList()));
          break;
        case "mode":
          clauses.add(mode(value));
          break;
        case "executable":
          clauses.add(
              Matchers.text(Field.EXECUTABLE, globs(value, '/'), List.of(), "executable: " + value.stringList()));
          break;
        case "executable_regex":
          clauses.add(
              Matchers.text(
                  Field.EXECUTABLE, List.of(), regexes(value), "executable_regex: " + value.stringList()));
          break;
        case "command":
          clauses.add(
              Matchers.text(Field.COMMAND, globs(value, (char) 0), List.of(), "command: " + value.stringList()));
          break;
        case "command_regex":
          clauses.add(
              Matchers.text(Field.COMMAND, List.of(), regexes(value), "command_regex: " + value.stringList()));
          break;
        case "peer":
          clauses.add(peer(value));
          break;
        case "peer_port":
          clauses.add(ports(value));
          break;
        case "transport":
          String transport = value.string();
          if (!transport.equals("tcp") && !transport.equals("udp")) {
            throw value.error("must be tcp or udp, found '" + transport + "'");
          }
          clauses.add(Matchers.transport(transport.equals("udp"), "transport: " + transport));
          break;
        case "name":
          clauses.add(Matchers.text(Field.NAME, globs(value, (char) 0), List.of(), "name: " + value.stringList()));
          break;
        case "name_regex":
          clauses.add(Matchers.text(Field.NAME, List.of(), regexes(value), "name_regex: " + value.stringList()));
          break;
        case "user":
          clauses.add(Matchers.text(Field.USER, globs(value, (char) 0), List.of(), "user: " + value.stringList()));
          break;
        case "enduser":
          clauses.add(
              Matchers.text(Field.ENDUSER, globs(value, (char) 0), List.of(), "enduser: " + value.stringList()));
          break;
        case "thread":
          clauses.add(
              Matchers.text(Field.THREAD, globs(value, (char) 0), List.of(), "thread: " + value.stringList()));
          break;
        case "caller":
          if (lookback) {
            throw value.error("not available for the look-back (recording does not walk the stack)");
          }
          clauses.add(Matchers.text(Field.CALLER, globs(value, '.'), List.of(), "caller: " + value.stringList()));
          break;
        case "in_request":
          clauses.add(Matchers.inRequest(value.bool()));
          break;
        case "request":
          Map<String, YamlView> attributes = value.mapping();
          if (attributes.isEmpty()) {
            throw value.error("name at least one attribute of the request span, e.g. http.route");
          }
          for (Map.Entry<String, YamlView> a : attributes.entrySet()) {
            clauses.add(Matchers.requestAttribute(a.getKey(), globs(a.getValue(), '/')));
          }
          break;
        case "after_startup":
          Duration after = duration(value, Duration.ZERO, Duration.ofDays(365));
          clauses.add(Matchers.afterStartup(after.toMillis(), "after_startup: " + value.string()));
          break;
        default:
          throw value.error("unknown key");
      }
    }
    if (mask == 0) {
      throw node.error("this match can never match any operation");
    }
    return new CompiledMatch(mask, Matchers.allOf(clauses));
  }

  /** The operations a match key can apply to. */
  static long appliesTo(String key) {
    switch (key) {
      case "path":
      case "path_regex":
        return OsApiOps.familyMask(OsApiOps.FAMILY_FILE) | OsApiOps.familyMask(OsApiOps.FAMILY_NATIVE);
      case "mode":
        // Creating, renaming, copying and linking write their destination: mode: write covers them too.
        return (1L << OsApiOps.FILE_OPEN) | (1L << OsApiOps.FILE_CREATE) | (1L << OsApiOps.FILE_RENAME)
            | (1L << OsApiOps.FILE_COPY) | (1L << OsApiOps.FILE_LINK);
      case "executable":
      case "executable_regex":
      case "command":
      case "command_regex":
        return 1L << OsApiOps.PROCESS_EXEC;
      case "peer":
      case "peer_port":
      case "transport":
        return OsApiOps.familyMask(OsApiOps.FAMILY_NETWORK);
      case "name":
      case "name_regex":
        return OsApiOps.familyMask(OsApiOps.FAMILY_NATIVE)
            | OsApiOps.familyMask(OsApiOps.FAMILY_ENV)
            | OsApiOps.familyMask(OsApiOps.FAMILY_JNDI)
            | OsApiOps.familyMask(OsApiOps.FAMILY_DESERIALIZATION)
            | OsApiOps.familyMask(OsApiOps.FAMILY_CODE)
            | OsApiOps.familyMask(OsApiOps.FAMILY_DNS);
      default:
        return allOps();
    }
  }

  private static long operation(YamlView item, long familyMask) throws PolicyException {
    String text = item.string();
    int dot = text.indexOf('.');
    if (dot > 0) {
      int op = OsApiOps.find(text.substring(0, dot), text.substring(dot + 1));
      if (op < 0) {
        throw item.error("unknown operation '" + text + "' (known: " + describeOps(allOps()) + ")");
      }
      return 1L << op;
    }
    long ops = 0;
    for (int op = 0; op < OsApiOps.OP_COUNT; op++) {
      if ((familyMask & (1L << op)) != 0 && OsApiOps.operationName(op).equals(text)) {
        ops |= 1L << op;
      }
    }
    if (ops == 0) {
      throw item.error(
          "unknown operation '" + text + "' for the selected families (known: " + describeOps(familyMask) + ")");
    }
    return ops;
  }

  private CallMatcher mode(YamlView value) throws PolicyException {
    List<Glob> globs = new ArrayList<>();
    for (Valued v : values(value)) {
      if (!Set.of("read", "write", "append", "read_write").contains(v.value())) {
        throw v.node().error("must be read, write, append or read_write, found '" + v.value() + "'");
      }
      globs.add(Glob.compile(v.value(), (char) 0));
    }
    return Matchers.text(Field.MODE, globs, List.of(), "mode: " + value.stringList());
  }

  private CallMatcher peer(YamlView value) throws PolicyException {
    List<AddressRange> ranges = new ArrayList<>();
    List<Glob> hosts = new ArrayList<>();
    for (Valued v : values(value)) {
      String text = v.value().trim();
      try {
        if (AddressRange.looksLikeAddress(text)) {
          ranges.add(AddressRange.parse(text));
        } else {
          hosts.add(Glob.compile(text.toLowerCase(Locale.ROOT), (char) 0));
        }
      } catch (IllegalArgumentException e) {
        throw v.node().error(e.getMessage());
      }
    }
    return Matchers.peer(ranges, hosts, "peer: " + value.stringList());
  }

  private CallMatcher ports(YamlView value) throws PolicyException {
    List<Integer> ranges = new ArrayList<>();
    for (Valued v : values(value)) {
      YamlView item = v.node();
      String text = v.value().trim();
      int dash = text.indexOf('-');
      try {
        int from = Integer.parseInt(dash < 0 ? text : text.substring(0, dash).trim());
        int to = dash < 0 ? from : Integer.parseInt(text.substring(dash + 1).trim());
        if (from < 0 || to > 65535 || to < from) {
          throw item.error("port range must lie within 0-65535 and go upwards, found '" + text + "'");
        }
        ranges.add(from);
        ranges.add(to);
      } catch (NumberFormatException e) {
        throw item.error("expected a port (443) or range (8000-8999), found '" + text + "'");
      }
    }
    int[] array = ranges.stream().mapToInt(Integer::intValue).toArray();
    return Matchers.port(array, "peer_port: " + value.stringList());
  }

  private List<Glob> globs(YamlView value, char separator) throws PolicyException {
    List<Glob> globs = new ArrayList<>();
    for (Valued v : values(value)) {
      try {
        globs.add(Glob.compile(v.value(), separator));
      } catch (IllegalArgumentException e) {
        throw v.node().error("invalid glob '" + v.value() + "': " + e.getMessage());
      }
    }
    return globs;
  }

  private List<BoundedRegex> regexes(YamlView value) throws PolicyException {
    List<BoundedRegex> regexes = new ArrayList<>();
    for (Valued v : values(value)) {
      try {
        regexes.add(BoundedRegex.compile(v.value()));
      } catch (IllegalArgumentException e) {
        throw v.node().error(e.getMessage());
      }
    }
    return regexes;
  }

  // ---- scalars

  private static String name(YamlView node, Map<String, YamlView> m) throws PolicyException {
    if (!m.containsKey("name")) {
      throw node.error("missing required key 'name'");
    }
    return checkedName(m.get("name"));
  }

  private static String checkedName(YamlView node) throws PolicyException {
    String name = node.string();
    if (!NAME.matcher(name).matches()) {
      throw node.error(
          "invalid name '" + shorten(name) + "' (1-128 characters: letters, digits, '_', '-', '.', ':', '@')");
    }
    return name;
  }

  private static String required(YamlView node, Map<String, YamlView> m, String key) throws PolicyException {
    if (!m.containsKey(key)) {
      throw node.error("missing required key '" + key + "'");
    }
    String value = m.get(key).string();
    if (value.isBlank()) {
      throw m.get(key).error("must not be empty");
    }
    return value;
  }

  private static Action action(YamlView node) throws PolicyException {
    String text = node.string();
    try {
      return Action.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw node.error("must be capture, ignore or trigger, found '" + shorten(text) + "'");
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 15m}, {@code 4h}, {@code 2d}, or ISO-8601 ({@code PT15M}). */
  static Duration duration(YamlView node, Duration min, Duration max) throws PolicyException {
    String text = node.isScalar() ? node.string().trim() : null;
    if (text == null) {
      throw node.error("expected a duration like 30s, 15m or 4h, found " + node.describe());
    }
    Duration d = parseDuration(text);
    if (d == null) {
      throw node.error("expected a duration like 30s, 15m or 4h, found '" + shorten(text) + "'");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw node.error("must be between " + min + " and " + max + ", found " + d);
    }
    return d;
  }

  /** Parses a policy duration; {@code null} when malformed. */
  public static Duration parseDuration(String text) {
    java.util.regex.Matcher matcher = DURATION.matcher(text);
    if (matcher.matches()) {
      long n = Long.parseLong(matcher.group(1));
      switch (matcher.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    try {
      Duration d = Duration.parse(text);
      return d.isNegative() ? null : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant instant(YamlView node) throws PolicyException {
    String text = node.string().trim();
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw node.error(
          "expected a time with offset like 2026-12-10T18:00:00Z or 2026-12-10T19:00:00+01:00, or 'never', found '"
              + shorten(text) + "'");
    }
  }

  private static LocalDateTime localDateTime(YamlView node) throws PolicyException {
    String text = node.string().trim();
    try {
      return LocalDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw node.error(
          "expected a local date-time like 2026-12-05T22:00 (in the window's time zone), found '"
              + shorten(text) + "'");
    }
  }

  private static DayOfWeek day(YamlView node) throws PolicyException {
    String text = node.string().trim().toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().equals(text) || d.name().substring(0, 3).equals(text)) {
        return d;
      }
    }
    throw node.error("expected a day like MON or Saturday, found '" + shorten(node.string()) + "'");
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  static long allOps() {
    return (1L << OsApiOps.OP_COUNT) - 1;
  }

  private static String familyNames() {
    List<String> names = new ArrayList<>();
    for (int f = 0; f < OsApiOps.FAMILY_COUNT; f++) {
      names.add(OsApiOps.familyName(f));
    }
    return String.join(", ", names);
  }

  static String describeOps(long mask) {
    Set<String> names = new TreeSet<>();
    for (int op = 0; op < OsApiOps.OP_COUNT; op++) {
      if ((mask & (1L << op)) != 0) {
        names.add(OsApiOps.spanName(op));
      }
    }
    return String.join(", ", names);
  }

  private static Set<String> keys(String... keys) {
    return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
  }

  /**
   * Every key path of the schema, e.g. {@code rules[].match.path}; the documentation test compares it with
   * {@code docs/policy.md}.
   */
  public static Set<String> schemaKeys() {
    Set<String> all = new TreeSet<>();
    for (String k : TOP_KEYS) {
      all.add(k);
    }
    for (String k : SETTINGS_KEYS) {
      all.add("settings." + k);
    }
    for (String k : CALLER_KEYS) {
      all.add("settings.caller." + k);
    }
    for (String k : ROLLOVER_KEYS) {
      all.add("settings.window_rollover." + k);
    }
    all.add("lists.<name>");
    for (String k : REDACTION_KEYS) {
      all.add("redaction." + k);
    }
    for (String k : LOOKBACK_KEYS) {
      all.add("lookback." + k);
    }
    for (String k : FLAG_KEYS) {
      all.add("flags[]." + k);
    }
    for (String k : SCOPE_KEYS) {
      all.add("flags[].scope." + k);
      all.add("windows[].scope." + k);
    }
    for (String k : WINDOW_KEYS) {
      all.add("windows[]." + k);
    }
    for (String k : RULE_KEYS) {
      all.add("rules[]." + k);
    }
    for (String k : TRIGGER_KEYS) {
      all.add("rules[].trigger." + k);
    }
    for (String k : EXCEPTION_KEYS) {
      all.add("rules[].exceptions[]." + k);
    }
    for (String k : RATE_LIMIT_KEYS) {
      all.add("rules[].rate_limit." + k);
    }
    for (String k : MATCH_KEYS) {
      all.add("match." + k);
    }
    return all;
  }
}
