package dev.osapimonitor.extension.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Small helpers for asserting on decoded spans. */
public final class Spans {

  private Spans() {}

  /**
   * The spans that match, in the order they started: batches can arrive in any order (the spool, a retry, two
   * exports in flight), so the order received means nothing.
   */
  public static List<ReceivedSpan> where(List<ReceivedSpan> spans, Predicate<ReceivedSpan> p) {
    return spans.stream().filter(p).sorted(Comparator.comparingLong(ReceivedSpan::startNanos))
        .collect(Collectors.toList());
  }

  public static Predicate<ReceivedSpan> named(String name) {
    return s -> s.name().equals(name);
  }

  public static Predicate<ReceivedSpan> attr(String key, Object value) {
    return s -> value.equals(s.attribute(key));
  }

  public static Predicate<ReceivedSpan> attrStartsWith(String key, String prefix) {
    return s -> s.string(key) != null && s.string(key).startsWith(prefix);
  }

  /** Exactly one span matches; returns it (with a readable failure listing the candidates). */
  public static ReceivedSpan single(List<ReceivedSpan> spans, Predicate<ReceivedSpan> p, String what) {
    List<ReceivedSpan> found = where(spans, p);
    assertThat(found).as(what + " among\n" + describe(spans)).hasSize(1);
    return found.get(0);
  }

  /** At least one span matches; returns the first. */
  public static ReceivedSpan first(List<ReceivedSpan> spans, Predicate<ReceivedSpan> p, String what) {
    List<ReceivedSpan> found = where(spans, p);
    assertThat(found).as(what + " among\n" + describe(spans)).isNotEmpty();
    return found.get(0);
  }

  public static String describe(List<ReceivedSpan> spans) {
    StringBuilder sb = new StringBuilder();
    for (ReceivedSpan s : spans) {
      sb.append("  ").append(s.name()).append(' ').append(s.attributes()).append('\n');
      if (sb.length() > 20000) {
        sb.append("  ...\n");
        break;
      }
    }
    return sb.toString();
  }
}
