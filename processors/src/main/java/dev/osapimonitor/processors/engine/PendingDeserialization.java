package dev.osapimonitor.processors.engine;

import dev.osapimonitor.bootstrap.OsApiCall;
import dev.osapimonitor.bootstrap.OsApiOps;
import java.util.ArrayList;
import java.util.List;

/**
 * A deserialization in progress. Which classes it rebuilds is known only while it runs, so the policy decides when
 * it completes: until then this token collects the class names the advice reports (the first
 * {@value #MAX_CLASSES}, and a count of all), and its end hands them to the engine.
 */
final class PendingDeserialization extends OsApiCall {

  /** Class names kept per deserialization; the count goes on. */
  static final int MAX_CLASSES = 64;

  private final OsApiEngine engine;
  final long startNanos;
  final List<String> classes = new ArrayList<>();
  int count;

  PendingDeserialization(OsApiEngine engine, long startNanos) {
    this.engine = engine;
    this.startNanos = startNanos;
  }

  @Override
  public void annotate(Object detail) {
    count++;
    if (classes.size() < MAX_CLASSES && detail instanceof String && !classes.contains(detail)) {
      classes.add((String) detail);
    }
  }

  @Override
  public int containerOp() {
    return OsApiOps.DESERIALIZATION_READ_OBJECT;
  }

  @Override
  public void end(Object result, long value, Throwable error) {
    engine.completeDeserialization(this, result, error);
  }

  /** The classes, the top-level one (the returned object's, when there is one) first. */
  List<String> classNames(Object result) {
    List<String> names = new ArrayList<>(classes.size() + 1);
    if (result != null) {
      names.add(result.getClass().getName());
    }
    for (String c : classes) {
      if (!names.contains(c)) {
        names.add(c);
      }
    }
    return names;
  }
}
