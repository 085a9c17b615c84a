package dev.osapimonitor.processors.policy;

import java.util.List;
import java.util.regex.Pattern;

/** Redaction rules the policy adds to the built-in ones (see {@code Redactor}). */
public record Redaction(List<Pattern> patterns, List<String> secretFlags) {

  public static Redaction none() {
    return new Redaction(List.of(), List.of());
  }
}
