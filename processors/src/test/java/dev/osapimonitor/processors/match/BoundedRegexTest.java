package dev.osapimonitor.processors.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedRegexTest {

  @Test
  void nestedUnboundedQuantifiersAreRejected() {
    assertThat(BoundedRegex.nestedQuantifier("(a+)+")).isEqualTo("(a+)+");
    assertThat(BoundedRegex.nestedQuantifier("(x*)*y")).isEqualTo("(x*)*");
    assertThat(BoundedRegex.nestedQuantifier("((ab)+c)+")).isEqualTo("((ab)+c)+");
    assertThat(BoundedRegex.nestedQuantifier("(\\w+\\s?){2,}")).isEqualTo("(\\w+\\s?){2,}");
    assertThat(BoundedRegex.nestedQuantifier("^/bin/(ba)?sh$")).isNull();
    assertThat(BoundedRegex.nestedQuantifier("[(a+)+]")).isNull(); // inside a class, parentheses are literal
    assertThat(BoundedRegex.nestedQuantifier("\\(a+\\)+")).isNull();
    assertThatThrownBy(() -> BoundedRegex.compile("(a|aa)+(b+)+"))
        .hasMessageStartingWith("regex has a nested quantifier");
  }

  @Test
  void aMatchThatExceedsItsBudgetCountsAsNoMatch() {
    // Alternation inside a star backtracks exponentially without nesting quantifiers in a group that repeats.
    BoundedRegex slow = BoundedRegex.compile("^(a|a?)*b$".replace("*", "{0,40}"));
    long before = BoundedRegex.budgetExceeded();
    assertThat(slow.find("a".repeat(40))).isFalse();
    assertThat(BoundedRegex.budgetExceeded()).isGreaterThan(before);
  }

  @Test
  void ordinaryPatternsMatch() {
    assertThat(BoundedRegex.compile("curl .*\\| *(ba)?sh").find("curl http://x/y.sh | bash")).isTrue();
  }
}
