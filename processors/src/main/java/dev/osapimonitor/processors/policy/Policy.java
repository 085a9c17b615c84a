package dev.osapimonitor.processors.policy;

import java.util.List;

/**
 * A validated policy: everything the engine needs, nothing it has to check again. Built by {@link PolicyParser};
 * see {@code docs/policy.md} for the annotated schema.
 */
public record Policy(
    String source,
    String sha256,
    boolean dryRun,
    String description,
    Action defaultAction,
    Settings settings,
    List<RuleSpec> rules,
    List<FlagSpec> flags,
    List<WindowSpec> windows,
    LookbackSpec lookback,
    Redaction redaction) {

  /** The policy in force when no file is configured, or before the first valid one: nothing is captured. */
  public static Policy empty(String source) {
    return new Policy(
        source,
        "",
        false,
        "no policy: capture off",
        Action.CAPTURE,
        Settings.defaults(),
        List.of(),
        List.of(),
        List.of(),
        LookbackSpec.disabled(),
        Redaction.none());
  }

  @Override
  public String toString() {
    return "Policy{source="
        + source
        + ", sha256="
        + (sha256.length() > 12 ? sha256.substring(0, 12) : sha256)
        + ", mode="
        + (dryRun ? "dry-run" : "enforce")
        + ", rules="
        + rules.size()
        + ", flags="
        + flags.size()
        + ", windows="
        + windows.size()
        + ", lookback="
        + (lookback.enabled() ? lookback.maxRecords() + "/" + lookback.maxAge() : "off")
        + "}";
  }
}
