package dev.osapimonitor.processors.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.NodeType;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A composed YAML node together with its key path, so that every error can say file, line and key. Readers ask for
 * the type they expect and get a {@link PolicyException} naming the node otherwise. Mapping readers are strict:
 * {@link #checkKeys} rejects keys the schema does not know, which catches misspellings that would otherwise silently
 * widen or narrow capture.
 */
final class YamlView {

  /** Upper bound on nodes visited through one document, against alias expansion ("billion laughs"). */
  static final int MAX_NODES = 200_000;

  private final Node node;
  private final String path;
  private final String source;
  private final int[] budget;

  private YamlView(Node node, String path, String source, int[] budget) {
    this.node = node;
    this.path = path;
    this.source = source;
    this.budget = budget;
  }

  static YamlView root(Node node, String source) {
    return new YamlView(node, "", source, new int[] {MAX_NODES});
  }

  String path() {
    return path;
  }

  Node node() {
    return node;
  }

  String source() {
    return source;
  }

  int line() {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  PolicyException error(String problem) {
    return new PolicyException(source, line(), path, problem);
  }

  boolean isNull() {
    return node.getNodeType() == NodeType.SCALAR && Tag.NULL.equals(node.getTag());
  }

  boolean isMapping() {
    return node.getNodeType() == NodeType.MAPPING;
  }

  boolean isSequence() {
    return node.getNodeType() == NodeType.SEQUENCE;
  }

  boolean isScalar() {
    return node.getNodeType() == NodeType.SCALAR && !isNull();
  }

  private YamlView child(Node child, String childPath) throws PolicyException {
    if (--budget[0] < 0) {
      throw new PolicyException(
          source, line(), path, "document too large: more than " + MAX_NODES + " nodes (alias expansion?)");
    }
    return new YamlView(child, childPath, source, budget);
  }

  private String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The entries of a mapping, in document order. Duplicate keys are rejected. */
  Map<String, YamlView> mapping() throws PolicyException {
    if (!isMapping()) {
      throw error("expected a mapping (key: value), found " + describe());
    }
    Map<String, YamlView> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : ((MappingNode) node).getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode)) {
        throw new PolicyException(
            source, new YamlView(keyNode, path, source, budget).line(), path, "keys must be plain strings");
      }
      String key = ((ScalarNode) keyNode).getValue();
      if (entries.containsKey(key)) {
        // The composer keeps duplicates; a later value silently winning would hide a mistake.
        throw new PolicyException(
            source, new YamlView(keyNode, path, source, budget).line(), childPath(key), "duplicate key");
      }
      entries.put(key, child(tuple.getValueNode(), childPath(key)));
    }
    return entries;
  }

  /** Rejects keys outside {@code allowed}, naming the first unknown one and the keys that are allowed. */
  static void checkKeys(YamlView owner, Map<String, YamlView> entries, Set<String> allowed)
      throws PolicyException {
    for (Map.Entry<String, YamlView> e : entries.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        List<String> sorted = new ArrayList<>(allowed);
        Collections.sort(sorted);
        throw e.getValue().error("unknown key (allowed here: " + String.join(", ", sorted) + ")");
      }
    }
  }

  /** The items of a sequence. */
  List<YamlView> sequence() throws PolicyException {
    if (!isSequence()) {
      throw error("expected a list, found " + describe());
    }
    List<Node> items = ((SequenceNode) node).getValue();
    List<YamlView> views = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      views.add(child(items.get(i), path + "[" + i + "]"));
    }
    return views;
  }

  /** A scalar's text. Rejects mappings, lists and null. */
  String string() throws PolicyException {
    if (!isScalar()) {
      throw error("expected a string, found " + describe());
    }
    return ((ScalarNode) node).getValue();
  }

  /** A scalar or a list of scalars, as a list (so {@code path: /etc/passwd} and {@code path: [a, b]} both work). */
  List<String> stringList() throws PolicyException {
    List<String> values = new ArrayList<>();
    if (isSequence()) {
      for (YamlView item : sequence()) {
        values.add(item.string());
      }
    } else {
      values.add(string());
    }
    return values;
  }

  /** Like {@link #stringList} but each item keeps its own view, for per-item error messages. */
  List<YamlView> scalarItems() throws PolicyException {
    if (isSequence()) {
      List<YamlView> items = sequence();
      for (YamlView item : items) {
        item.string();
      }
      return items;
    }
    string();
    return List.of(this);
  }

  boolean bool() throws PolicyException {
    if (isScalar() && Tag.BOOL.equals(node.getTag())) {
      return Boolean.parseBoolean(((ScalarNode) node).getValue().toLowerCase(java.util.Locale.ROOT));
    }
    throw error("expected true or false, found " + describe());
  }

  long integer(long min, long max) throws PolicyException {
    if (isScalar() && Tag.INT.equals(node.getTag())) {
      try {
        long value = Long.parseLong(((ScalarNode) node).getValue().replace("_", ""));
        if (value < min || value > max) {
          throw error("must be between " + min + " and " + max + ", found " + value);
        }
        return value;
      } catch (NumberFormatException e) {
        throw error("not an integer: " + ((ScalarNode) node).getValue());
      }
    }
    throw error("expected an integer, found " + describe());
  }

  double number(double min, double max) throws PolicyException {
    if (isScalar() && (Tag.INT.equals(node.getTag()) || Tag.FLOAT.equals(node.getTag()))) {
      double value;
      try {
        value = Double.parseDouble(((ScalarNode) node).getValue().replace("_", ""));
      } catch (NumberFormatException e) {
        throw error("not a number: " + ((ScalarNode) node).getValue());
      }
      if (!(value >= min && value <= max)) {
        throw error("must be between " + min + " and " + max + ", found " + value);
      }
      return value;
    }
    throw error("expected a number, found " + describe());
  }

  String describe() {
    switch (node.getNodeType()) {
      case MAPPING:
        return "a mapping";
      case SEQUENCE:
        return "a list";
      default:
        if (isNull()) {
          return "nothing (null)";
        }
        String value = ((ScalarNode) node).getValue();
        if (value.length() > 40) {
          value = value.substring(0, 40) + "...";
        }
        return (Tag.INT.equals(node.getTag())
                ? "the number "
                : Tag.BOOL.equals(node.getTag()) ? "the boolean " : "the string ")
            + "'" + value + "'";
    }
  }
}
