package dev.osapimonitor.processors.match;

import dev.osapimonitor.bootstrap.OsApiOps;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The clauses of the policy's {@code match} grammar. One factory per key; see {@code docs/policy.md}. */
public final class Matchers {

  static final int COST_CONSTANT = 1;
  static final int COST_FIELD = 3;
  static final int COST_GLOB = 5;
  static final int COST_JOIN = 8;
  static final int COST_REGEX = 12;
  static final int COST_REQUEST = 6;
  static final int COST_CALLER = 50;

  private Matchers() {}

  /** Which string of the call a text clause reads. */
  public enum Field {
    PATH(COST_GLOB),
    EXECUTABLE(COST_GLOB),
    COMMAND(COST_JOIN),
    HOST(COST_GLOB),
    NAME(COST_GLOB),
    USER(COST_CONSTANT),
    ENDUSER(COST_REQUEST),
    THREAD(COST_FIELD),
    CALLER(COST_CALLER),
    MODE(COST_FIELD);

    final int cost;

    Field(int cost) {
      this.cost = cost;
    }
  }

  /** All clauses must match; cheapest first. */
  public static CallMatcher allOf(List<CallMatcher> clauses) {
    if (clauses.isEmpty()) {
      return ANY;
    }
    CallMatcher[] sorted = clauses.toArray(new CallMatcher[0]);
    Arrays.sort(sorted, Comparator.comparingInt(CallMatcher::cost));
    return new AllOf(sorted);
  }

  /**
   * Any of several matches, each limited to its own operations (a list under {@code lookback.match}).
   */
  public static CallMatcher anyOf(long[] opMasks, CallMatcher[] matchers) {
    long[] masks = opMasks.clone();
    CallMatcher[] alternatives = matchers.clone();
    int cost = 0;
    for (CallMatcher m : alternatives) {
      cost = Math.max(cost, m.cost());
    }
    int maxCost = cost;
    return new CallMatcher() {
      @Override
      public boolean matches(CallFacts facts) {
        long bit = 1L << facts.op();
        for (int i = 0; i < alternatives.length; i++) {
          if ((masks[i] & bit) != 0 && alternatives[i].matches(facts)) {
            return true;
          }
        }
        return false;
      }

      @Override
      public int cost() {
        return maxCost;
      }

      @Override
      public String describe() {
        List<String> parts = new ArrayList<>();
        for (CallMatcher m : alternatives) {
          parts.add("{" + m.describe() + "}");
        }
        return "any of " + String.join(" | ", parts);
      }
    };
  }

  /** Matches every call (an empty {@code match}). */
  public static final CallMatcher ANY =
      new CallMatcher() {
        @Override
        public boolean matches(CallFacts facts) {
          return true;
        }

        @Override
        public int cost() {
          return 0;
        }

        @Override
        public String describe() {
          return "any";
        }
      };

  /**
   * A text clause: the field matches any of the globs or regexes. For {@link Field#EXECUTABLE}, a glob without a
   * {@code /} is also tried against the executable's base name, so {@code bash} matches {@code /usr/bin/bash}. For
   * {@link Field#PATH}, the destination of a rename, copy or link is tried too.
   */
  public static CallMatcher text(Field field, List<Glob> globs, List<BoundedRegex> regexes, String described) {
    return new TextMatcher(field, globs.toArray(new Glob[0]), regexes.toArray(new BoundedRegex[0]), described);
  }

  public static CallMatcher peer(List<AddressRange> ranges, List<Glob> hostGlobs, String described) {
    return new PeerMatcher(ranges.toArray(new AddressRange[0]), hostGlobs.toArray(new Glob[0]), described);
  }

  /** Ports as inclusive [from, to] pairs. */
  public static CallMatcher port(int[] ranges, String described) {
    return new PortMatcher(ranges, described);
  }

  public static CallMatcher transport(boolean udp, String described) {
    return new CallMatcher() {
      @Override
      public boolean matches(CallFacts facts) {
        return facts.isUdp() == udp;
      }

      @Override
      public int cost() {
        return COST_CONSTANT;
      }

      @Override
      public String describe() {
        return described;
      }
    };
  }

  public static CallMatcher inRequest(boolean expected) {
    return new CallMatcher() {
      @Override
      public boolean matches(CallFacts facts) {
        return facts.inRequest() == expected;
      }

      @Override
      public int cost() {
        return COST_FIELD;
      }

      @Override
      public String describe() {
        return "in_request: " + expected;
      }
    };
  }

  /** An attribute of the enclosing request span matches one of the globs. */
  public static CallMatcher requestAttribute(String key, List<Glob> globs) {
    // The attribute key is made when first needed, inside the agent: the policy is also parsed where there is no
    // OpenTelemetry API at all (the validate command).
    Glob[] patterns = globs.toArray(new Glob[0]);
    return new CallMatcher() {
      @Override
      public boolean matches(CallFacts facts) {
        String value = facts.requestAttribute(key);
        if (value == null) {
          return false;
        }
        for (Glob glob : patterns) {
          if (glob.matches(value)) {
            return true;
          }
        }
        return false;
      }

      @Override
      public int cost() {
        return COST_REQUEST;
      }

      @Override
      public String describe() {
        return "request." + key + ": " + Arrays.toString(patterns);
      }
    };
  }

  /** The call happens later than {@code millis} after the JVM started (e.g. a native library loaded late). */
  public static CallMatcher afterStartup(long millis, String described) {
    long jvmStart = jvmStartMillis();
    return new CallMatcher() {
      @Override
      public boolean matches(CallFacts facts) {
        return System.currentTimeMillis() - jvmStart >= millis;
      }

      @Override
      public int cost() {
        return COST_CONSTANT;
      }

      @Override
      public String describe() {
        return described;
      }
    };
  }

  static long jvmStartMillis() {
    try {
      return ManagementFactory.getRuntimeMXBean().getStartTime();
    } catch (RuntimeException | LinkageError e) {
      return System.currentTimeMillis();
    }
  }

  private static final class AllOf implements CallMatcher {
    private final CallMatcher[] clauses;
    private final int cost;

    AllOf(CallMatcher[] clauses) {
      this.clauses = clauses;
      int sum = 0;
      for (CallMatcher c : clauses) {
        sum += c.cost();
      }
      this.cost = sum;
    }

    @Override
    public boolean matches(CallFacts facts) {
      for (CallMatcher clause : clauses) {
        if (!clause.matches(facts)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int cost() {
      return cost;
    }

    @Override
    public String describe() {
      List<String> parts = new ArrayList<>();
      for (CallMatcher c : clauses) {
        parts.add(c.describe());
      }
      return String.join(", ", parts);
    }
  }

  private static final class TextMatcher implements CallMatcher {
    private final Field field;
    private final Glob[] globs;
    private final BoundedRegex[] regexes;
    private final boolean[] basenameGlob;
    private final String described;

    TextMatcher(Field field, Glob[] globs, BoundedRegex[] regexes, String described) {
      this.field = field;
      this.globs = globs;
      this.regexes = regexes;
      this.described = described;
      this.basenameGlob = new boolean[globs.length];
      for (int i = 0; i < globs.length; i++) {
        basenameGlob[i] = field == Field.EXECUTABLE && globs[i].pattern().indexOf('/') < 0;
      }
    }

    @Override
    public boolean matches(CallFacts facts) {
      if (field == Field.PATH) {
        return test(facts.path()) || test(facts.targetPath());
      }
      if (field == Field.NAME && facts.op() == OsApiOps.DESERIALIZATION_READ_OBJECT) {
        for (String name : facts.names()) {
          if (test(name)) {
            return true;
          }
        }
        return false;
      }
      String value = read(facts);
      if (value == null) {
        return false;
      }
      for (int i = 0; i < globs.length; i++) {
        if (globs[i].matches(value)) {
          return true;
        }
        if (basenameGlob[i]) {
          int slash = value.lastIndexOf('/');
          if (slash >= 0 && globs[i].matches(new Tail(value, slash + 1))) {
            return true;
          }
        }
      }
      for (BoundedRegex regex : regexes) {
        if (regex.find(value)) {
          return true;
        }
      }
      return false;
    }

    private boolean test(String value) {
      if (value == null) {
        return false;
      }
      for (Glob glob : globs) {
        if (glob.matches(value)) {
          return true;
        }
      }
      for (BoundedRegex regex : regexes) {
        if (regex.find(value)) {
          return true;
        }
      }
      return false;
    }

    private String read(CallFacts facts) {
      switch (field) {
        case EXECUTABLE:
          return facts.executable();
        case COMMAND:
          return facts.commandLine();
        case HOST:
          return facts.host();
        case NAME:
          return facts.name();
        case USER:
          return facts.osUser();
        case ENDUSER:
          return facts.enduser();
        case THREAD:
          return facts.threadName();
        case CALLER:
          Caller caller = facts.caller();
          return caller == null || caller == CallerLocator.SELF ? null : caller.className();
        case MODE:
          return facts.modeForMatch();
        default:
          return null;
      }
    }

    @Override
    public int cost() {
      return regexes.length > 0 ? Math.max(field.cost, COST_REGEX) : field.cost;
    }

    @Override
    public String describe() {
      return described;
    }
  }

  /** A suffix view of a string, so a base-name test does not allocate a substring. */
  private static final class Tail implements CharSequence {
    private final String s;
    private final int from;

    Tail(String s, int from) {
      this.s = s;
      this.from = from;
    }

    @Override
    public int length() {
      return s.length() - from;
    }

    @Override
    public char charAt(int index) {
      return s.charAt(from + index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return s.substring(from + start, from + end);
    }

    @Override
    public String toString() {
      return s.substring(from);
    }
  }

  private static final class PeerMatcher implements CallMatcher {
    private final AddressRange[] ranges;
    private final Glob[] hostGlobs;
    private final String described;

    PeerMatcher(AddressRange[] ranges, Glob[] hostGlobs, String described) {
      this.ranges = ranges;
      this.hostGlobs = hostGlobs;
      this.described = described;
    }

    @Override
    public boolean matches(CallFacts facts) {
      if (ranges.length > 0) {
        java.net.InetAddress address = facts.address();
        for (AddressRange range : ranges) {
          if (range.contains(address)) {
            return true;
          }
        }
      }
      if (hostGlobs.length > 0) {
        String host = facts.host();
        if (host != null) {
          for (Glob glob : hostGlobs) {
            if (glob.matches(host)) {
              return true;
            }
          }
        }
      }
      return false;
    }

    @Override
    public int cost() {
      return COST_GLOB;
    }

    @Override
    public String describe() {
      return described;
    }
  }

  private static final class PortMatcher implements CallMatcher {
    private final int[] ranges;
    private final String described;

    PortMatcher(int[] ranges, String described) {
      this.ranges = ranges;
      this.described = described;
    }

    @Override
    public boolean matches(CallFacts facts) {
      int port = facts.port();
      for (int i = 0; i < ranges.length; i += 2) {
        if (port >= ranges[i] && port <= ranges[i + 1]) {
          return true;
        }
      }
      return false;
    }

    @Override
    public int cost() {
      return COST_FIELD;
    }

    @Override
    public String describe() {
      return described;
    }
  }
}
