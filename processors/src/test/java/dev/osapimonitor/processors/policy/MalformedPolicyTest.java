package dev.osapimonitor.processors.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of malformed policies: each is rejected as a whole with one message that names the file, the line
 * and the key path, and says what is wrong.
 */
class MalformedPolicyTest {

  static Stream<Arguments> corpus() {
    return Stream.of(
        // --- YAML itself
        bad("empty", "", "p.yaml: empty policy (expected at least 'version: 1')"),
        bad("not a mapping", "- a\n- b\n", "p.yaml:1: a policy is a mapping with at least 'version: 1', found a list"),
        bad("scalar document", "hello\n", "p.yaml:1: a policy is a mapping with at least 'version: 1', found the string 'hello'"),
        bad("syntax error", "version: 1\nrules: [\n", null),
        bad("tab indentation", "version: 1\nflags:\n\t- name: x\n", null),
        bad("duplicate key", "version: 1\nversion: 1\n", null),
        bad("unclosed quote", "version: 1\ndescription: \"abc\n", null),
        // --- top level
        bad("missing version", "rules: []\n", "p.yaml:1: missing required key 'version' (the only version is 1)"),
        bad("wrong version", "version: 2\n", "p.yaml:1: version: must be between 1 and 1, found 2"),
        bad("version as string", "version: one\n", "p.yaml:1: version: expected an integer, found the string 'one'"),
        bad("unknown top key", "version: 1\nrulez: []\n",
            "p.yaml:2: rulez: unknown key (allowed here: default_action, description, flags, lists, lookback, mode, redaction, rules, settings, version, windows)"),
        bad("bad mode", "version: 1\nmode: audit\n", "p.yaml:2: mode: must be 'enforce' or 'dry-run', found 'audit'"),
        bad("default trigger", "version: 1\ndefault_action: trigger\n", "p.yaml:2: default_action: must be 'capture' or 'ignore'"),
        bad("rules not a list", "version: 1\nrules: {a: 1}\n", "p.yaml:2: rules: expected a list, found a mapping"),
        // --- rules
        bad("rule without name", "version: 1\nrules:\n  - action: ignore\n    match: {}\n", "p.yaml:3: rules[0]: missing required key 'name'"),
        bad("rule bad name", "version: 1\nrules:\n  - name: 'has space'\n    action: ignore\n    match: {}\n",
            "p.yaml:3: rules[0].name: invalid name 'has space' (1-128 characters: letters, digits, '_', '-', '.', ':', '@')"),
        bad("rule without action", "version: 1\nrules:\n  - name: r\n    match: {}\n",
            "p.yaml:3: rules[0]: missing required key 'action' (capture, ignore or trigger)"),
        bad("rule bad action", "version: 1\nrules:\n  - name: r\n    action: block\n    match: {}\n",
            "p.yaml:4: rules[0].action: must be capture, ignore or trigger, found 'block'"),
        bad("rule without match", "version: 1\nrules:\n  - name: r\n    action: ignore\n",
            "p.yaml:3: rules[0]: missing required key 'match' (use 'match: {}' to match every call)"),
        bad("duplicate rule", "version: 1\nrules:\n  - {name: r, action: ignore, match: {}}\n  - {name: r, action: ignore, match: {}}\n",
            "p.yaml:4: rules[1]: duplicate rule name 'r'"),
        bad("unknown rule key", "version: 1\nrules:\n  - {name: r, action: ignore, match: {}, priority: 3}\n",
            "p.yaml:3: rules[0].priority: unknown key (allowed here: action, conditions, dedup, desc, enabled, exceptions, match, name, rate_limit, tags, trigger)"),
        bad("trigger without section", "version: 1\nrules:\n  - {name: r, action: trigger, match: {}}\n",
            "p.yaml:3: rules[0]: a trigger rule needs a 'trigger' section (ttl, scope, lookback)"),
        bad("trigger section on capture", "version: 1\nrules:\n  - {name: r, action: capture, match: {}, trigger: {ttl: 1m}}\n",
            "p.yaml:3: rules[0].trigger: only allowed with 'action: trigger'"),
        bad("trigger without ttl", "version: 1\nrules:\n  - {name: r, action: trigger, match: {}, trigger: {scope: trace}}\n",
            "p.yaml:3: rules[0].trigger: missing required key 'ttl' (how long the raised flag lasts, e.g. 15m)"),
        bad("trigger bad scope", "version: 1\nrules:\n  - {name: r, action: trigger, match: {}, trigger: {ttl: 1m, scope: host}}\n",
            "p.yaml:3: rules[0].trigger.scope: must be process, trace or user, found 'host'"),
        bad("bad duration", "version: 1\nrules:\n  - {name: r, action: trigger, match: {}, trigger: {ttl: soon}}\n",
            "p.yaml:3: rules[0].trigger.ttl: expected a duration like 30s, 15m or 4h, found 'soon'"),
        bad("duration out of range", "version: 1\nrules:\n  - {name: r, action: trigger, match: {}, trigger: {ttl: 90d}}\n",
            "p.yaml:3: rules[0].trigger.ttl: must be between PT1S and PT720H, found PT2160H"),
        bad("conditions on ignore", "version: 1\nrules:\n  - {name: r, action: ignore, match: {}, conditions: [a]}\n",
            "p.yaml:3: rules[0].conditions: only allowed with 'action: capture'"),
        bad("rate limit without rate", "version: 1\nrules:\n  - {name: r, action: capture, match: {}, rate_limit: {burst: 3}}\n",
            "p.yaml:3: rules[0].rate_limit: missing required key 'per_second'"),
        bad("negative rate", "version: 1\nrules:\n  - {name: r, action: capture, match: {}, rate_limit: {per_second: -1}}\n",
            "p.yaml:3: rules[0].rate_limit.per_second: must be between 0.001 and 1000000.0, found -1.0"),
        bad("enabled not boolean", "version: 1\nrules:\n  - {name: r, action: capture, match: {}, enabled: yes}\n",
            "p.yaml:3: rules[0].enabled: expected true or false, found the string 'yes'"),
        // --- match clauses
        bad("unknown family", "version: 1\nrules:\n  - {name: r, action: capture, match: {family: registry}}\n",
            "p.yaml:3: rules[0].match.family: unknown family 'registry' (known: process, file, network, native, env, jndi, deserialization, code, dns)"),
        bad("unknown operation", "version: 1\nrules:\n  - {name: r, action: capture, match: {family: file, operation: exec}}\n",
            "p.yaml:3: rules[0].match.operation: unknown operation 'exec' for the selected families (known: file.chmod, file.chown, file.copy, file.create, file.delete, file.link, file.mkdir, file.open, file.rename)"),
        bad("key not applicable", "version: 1\nrules:\n  - {name: r, action: capture, match: {family: process, path: /etc/passwd}}\n",
            "p.yaml:3: rules[0].match.path: 'path' never applies to the operations this match selects (it applies to: file.chmod, file.chown, file.copy, file.create, file.delete, file.link, file.mkdir, file.open, file.rename, native.load)"),
        bad("unknown match key", "version: 1\nrules:\n  - {name: r, action: capture, match: {filename: x}}\n", null),
        bad("bad glob", "version: 1\nrules:\n  - {name: r, action: capture, match: {path: '/etc/[abc'}}\n",
            "p.yaml:3: rules[0].match.path: invalid glob '/etc/[abc': unbalanced '[' in glob"),
        bad("bad glob brace", "version: 1\nrules:\n  - {name: r, action: capture, match: {path: '/etc/{a,b'}}\n",
            "p.yaml:3: rules[0].match.path: invalid glob '/etc/{a,b': unbalanced '{' in glob"),
        bad("bad regex", "version: 1\nrules:\n  - {name: r, action: capture, match: {command_regex: 'a(b'}}\n",
            "p.yaml:3: rules[0].match.command_regex: invalid regex: Unclosed group near index 3"),
        bad("catastrophic regex", "version: 1\nrules:\n  - {name: r, action: capture, match: {command_regex: '(a+)+$'}}\n",
            "p.yaml:3: rules[0].match.command_regex: regex has a nested quantifier ((a+)+) that can backtrack catastrophically; rewrite it without a repeated group that itself repeats"),
        bad("bad cidr", "version: 1\nrules:\n  - {name: r, action: capture, match: {peer: 10.0.0.0/33}}\n",
            "p.yaml:3: rules[0].match.peer: CIDR prefix out of range (0-32) in '10.0.0.0/33'"),
        bad("bad address", "version: 1\nrules:\n  - {name: r, action: capture, match: {peer: 300.1.1.1}}\n",
            "p.yaml:3: rules[0].match.peer: not an IP address or CIDR: '300.1.1.1'"),
        bad("bad port", "version: 1\nrules:\n  - {name: r, action: capture, match: {peer_port: 70000}}\n",
            "p.yaml:3: rules[0].match.peer_port: port range must lie within 0-65535 and go upwards, found '70000'"),
        bad("reversed port range", "version: 1\nrules:\n  - {name: r, action: capture, match: {peer_port: '9000-8000'}}\n",
            "p.yaml:3: rules[0].match.peer_port: port range must lie within 0-65535 and go upwards, found '9000-8000'"),
        bad("bad mode", "version: 1\nrules:\n  - {name: r, action: capture, match: {mode: execute}}\n",
            "p.yaml:3: rules[0].match.mode: must be read, write, append or read_write, found 'execute'"),
        bad("bad transport", "version: 1\nrules:\n  - {name: r, action: capture, match: {transport: sctp}}\n",
            "p.yaml:3: rules[0].match.transport: must be tcp or udp, found 'sctp'"),
        bad("in_request not bool", "version: 1\nrules:\n  - {name: r, action: capture, match: {in_request: maybe}}\n",
            "p.yaml:3: rules[0].match.in_request: expected true or false, found the string 'maybe'"),
        bad("empty value list", "version: 1\nrules:\n  - {name: r, action: capture, match: {path: []}}\n",
            "p.yaml:3: rules[0].match.path: empty value list matches nothing; remove the key instead"),
        bad("value is a mapping", "version: 1\nrules:\n  - {name: r, action: capture, match: {path: {a: b}}}\n",
            "p.yaml:3: rules[0].match.path: expected a string, found a mapping"),
        // --- lists
        bad("unknown list", "version: 1\nrules:\n  - {name: r, action: capture, match: {executable: $shells}}\n",
            "p.yaml:3: rules[0].match.executable: unknown list 'shells'"),
        bad("list cycle", "version: 1\nlists:\n  a: [$b]\n  b: [$c]\n  c: [$a]\n",
            "p.yaml:3: lists.a[0]: list reference cycle: a -> b -> c -> a"),
        bad("list of mappings", "version: 1\nlists:\n  a: [{x: 1}]\n", "p.yaml:3: lists.a[0]: expected a string, found a mapping"),
        bad("bad list name", "version: 1\nlists:\n  'bad name': [x]\n",
            "p.yaml:3: lists.bad name: invalid list name (letters, digits, '_', '-', '.', ':', '@')"),
        // --- flags and windows
        bad("flag without reason", "version: 1\nflags:\n  - {name: f, owner: o, ttl: 1h}\n", "p.yaml:3: flags[0]: missing required key 'reason'"),
        bad("flag without owner", "version: 1\nflags:\n  - {name: f, reason: r, ttl: 1h}\n", "p.yaml:3: flags[0]: missing required key 'owner'"),
        bad("flag without expiry", "version: 1\nflags:\n  - {name: f, reason: r, owner: o}\n",
            "p.yaml:3: flags[0]: a flag needs 'expires' (a time, or 'never') or 'ttl' (e.g. 4h)"),
        bad("flag both expiries", "version: 1\nflags:\n  - {name: f, reason: r, owner: o, ttl: 1h, expires: never}\n",
            "p.yaml:3: flags[0].ttl: give either 'expires' or 'ttl', not both"),
        bad("flag bad expiry", "version: 1\nflags:\n  - {name: f, reason: r, owner: o, expires: tomorrow}\n",
            "p.yaml:3: flags[0].expires: expected a time with offset like 2026-12-10T18:00:00Z or 2026-12-10T19:00:00+01:00, or 'never', found 'tomorrow'"),
        bad("flag empty reason", "version: 1\nflags:\n  - {name: f, reason: '  ', owner: o, ttl: 1h}\n", "p.yaml:3: flags[0].reason: must not be empty"),
        bad("flag bad scope family", "version: 1\nflags:\n  - {name: f, reason: r, owner: o, ttl: 1h, scope: {families: [disk]}}\n",
            "p.yaml:3: flags[0].scope.families[0]: unknown family 'disk' (known: process, file, network, native, env, jndi, deserialization, code, dns)"),
        bad("window without timezone", "version: 1\nwindows:\n  - {name: w, reason: r, days: [SAT], start: '22:00', duration: 4h}\n",
            "p.yaml:3: windows[0]: a window needs an explicit 'timezone' (e.g. Europe/Berlin or UTC)"),
        bad("window bad timezone", "version: 1\nwindows:\n  - {name: w, reason: r, timezone: Mars/Olympus, days: [SAT], start: '22:00', duration: 4h}\n",
            "p.yaml:3: windows[0].timezone: unknown time zone 'Mars/Olympus'"),
        bad("window bad day", "version: 1\nwindows:\n  - {name: w, reason: r, timezone: UTC, days: [Funday], start: '22:00', duration: 4h}\n",
            "p.yaml:3: windows[0].days[0]: expected a day like MON or Saturday, found 'Funday'"),
        bad("window bad start", "version: 1\nwindows:\n  - {name: w, reason: r, timezone: UTC, days: [SAT], start: '25:00', duration: 4h}\n",
            "p.yaml:3: windows[0].start: expected a local time like 22:00, found '25:00'"),
        bad("window mixed", "version: 1\nwindows:\n  - {name: w, reason: r, timezone: UTC, days: [SAT], from: '2026-12-05T22:00', until: '2026-12-06T02:00'}\n",
            "p.yaml:3: windows[0]: a window is either recurring (days, start, duration) or one-off (from, until), not both"),
        bad("window end before start", "version: 1\nwindows:\n  - {name: w, reason: r, timezone: UTC, from: '2026-12-05T22:00', until: '2026-12-05T21:00'}\n",
            "p.yaml:3: windows[0].until: must be after 'from'"),
        bad("duplicate flag and window", "version: 1\nflags:\n  - {name: x, reason: r, owner: o, ttl: 1h}\nwindows:\n  - {name: x, reason: r, timezone: UTC, from: '2026-12-05T22:00', until: '2026-12-06T02:00'}\n",
            "p.yaml:5: windows[0]: duplicate flag or window name 'x'"),
        // --- settings, lookback, redaction
        bad("relative flags dir", "version: 1\nsettings:\n  flags_dir: flags\n", "p.yaml:3: settings.flags_dir: must be an absolute path"),
        bad("tiny attribute limit", "version: 1\nsettings:\n  max_attribute_length: 10\n",
            "p.yaml:3: settings.max_attribute_length: must be between 64 and 1048576, found 10"),
        bad("unknown setting", "version: 1\nsettings:\n  verbose: true\n", null),
        bad("lookback zero records", "version: 1\nlookback:\n  max_records: 0\n",
            "p.yaml:3: lookback.max_records: must be between 1 and 10000000, found 0"),
        bad("lookback caller", "version: 1\nlookback:\n  match: {caller: 'com.acme.**'}\n",
            "p.yaml:3: lookback.match.caller: not available for the look-back (recording does not walk the stack)"),
        bad("redaction bad flag", "version: 1\nredaction:\n  secret_flags: [password]\n",
            "p.yaml:3: redaction.secret_flags[0]: a secret flag starts with '-', e.g. --db-password"),
        bad("redaction catastrophic", "version: 1\nredaction:\n  patterns: ['(x*)*y']\n",
            "p.yaml:3: redaction.patterns[0]: regex has a nested quantifier ((x*)*) that can backtrack catastrophically; rewrite it without a repeated group that itself repeats"));
  }

  private static Arguments bad(String name, String yaml, String message) {
    return Arguments.of(name, yaml, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void isRejectedWithAPathNamedMessage(String name, String yaml, String expected) {
    assertThatThrownBy(() -> PolicyParser.parse(yaml, "p.yaml"))
        .isInstanceOf(PolicyException.class)
        .satisfies(
            e -> {
              PolicyException pe = (PolicyException) e;
              assertThat(pe.source()).isEqualTo("p.yaml");
              if (expected != null) {
                assertThat(pe.getMessage()).isEqualTo(expected);
              } else {
                // YAML-level and unknown-key errors: the position and a reason are enough.
                assertThat(pe.getMessage()).startsWith("p.yaml:");
                assertThat(pe.line()).isPositive();
              }
            });
  }

  @org.junit.jupiter.api.Test
  void corpusIsLargeEnough() {
    assertThat(corpus().count()).isGreaterThanOrEqualTo(40);
  }
}
