package dev.osapimonitor.processors.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void starStaysWithinASegmentDoubleStarCrossesThem() {
    Glob star = Glob.compile("/home/*/.ssh/id_*", '/');
    assertThat(star.matches("/home/alice/.ssh/id_rsa")).isTrue();
    assertThat(star.matches("/home/alice/x/.ssh/id_rsa")).isFalse();
    Glob deep = Glob.compile("**/.ssh/id_*", '/');
    assertThat(deep.matches("/home/alice/x/.ssh/id_ed25519")).isTrue();
    assertThat(deep.matches("/home/alice/.ssh/known_hosts")).isFalse();
    assertThat(Glob.compile("/etc/cron*", '/').matches("/etc/crontab")).isTrue();
    assertThat(Glob.compile("/etc/cron*", '/').matches("/etc/cron.d/job")).isFalse();
  }

  @Test
  void questionMarkClassesBracesAndEscapes() {
    assertThat(Glob.compile("/tmp/?.log", '/').matches("/tmp/a.log")).isTrue();
    assertThat(Glob.compile("/tmp/?.log", '/').matches("/tmp/ab.log")).isFalse();
    assertThat(Glob.compile("/dev/tty[0-9]", '/').matches("/dev/tty7")).isTrue();
    assertThat(Glob.compile("/dev/tty[!0-9]", '/').matches("/dev/tty7")).isFalse();
    Glob braces = Glob.compile("**/*.{pem,key,p12}", '/');
    assertThat(braces.matches("/etc/ssl/server.key")).isTrue();
    assertThat(braces.matches("/etc/ssl/server.crt")).isFalse();
    assertThat(Glob.compile("a\\*b", (char) 0).matches("a*b")).isTrue();
    assertThat(Glob.compile("a\\*b", (char) 0).matches("axb")).isFalse();
  }

  @Test
  void classNameGlobsUseTheDotAsSeparator() {
    Glob oneLevel = Glob.compile("com.acme.*", '.');
    assertThat(oneLevel.matches("com.acme.Web")).isTrue();
    assertThat(oneLevel.matches("com.acme.web.Handler")).isFalse();
    assertThat(Glob.compile("com.acme.**", '.').matches("com.acme.web.Handler")).isTrue();
  }

  @Test
  void withoutSeparatorStarMatchesAnything() {
    assertThat(Glob.compile("/bin/sh -c *", (char) 0).matches("/bin/sh -c cat /etc/passwd")).isTrue();
  }

  @Test
  void literalGlobsAreEquality() {
    Glob literal = Glob.compile("/etc/shadow", '/');
    assertThat(literal.isLiteral()).isTrue();
    assertThat(literal.matches("/etc/shadow")).isTrue();
    assertThat(literal.matches("/etc/shadow2")).isFalse();
  }

  @Test
  void hostileSubjectsTakeLinearTime() {
    // A pattern that makes backtracking matchers exponential; the automaton walks the input once.
    Glob glob = Glob.compile("*a*a*a*a*a*a*a*a*a*a*b", (char) 0);
    String subject = "a".repeat(200_000);
    long start = System.nanoTime();
    assertThat(glob.matches(subject)).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L); // generous: it takes milliseconds
  }

  @Test
  void longPatternsAndInvalidOnesAreRejectedWithAReason() {
    assertThatThrownBy(() -> Glob.compile("/x*" + "a".repeat(200), '/'))
        .hasMessage("glob too long: 203 elements (at most 127)");
    assertThatThrownBy(() -> Glob.compile("{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}", (char) 0))
        .hasMessage("glob expands to more than 64 alternatives");
    assertThatThrownBy(() -> Glob.compile("[z-a]", (char) 0)).hasMessage("reversed range z-a in glob");
    assertThatThrownBy(() -> Glob.compile("", (char) 0)).hasMessage("empty glob");
  }

  @Test
  void literalPrefixSuffixAndInfixShortcutsAgreeWithTheAutomaton() {
    // The shortcuts only reject; every answer must equal the plain automaton's, including overlaps and CharSequences.
    Glob overlap = Glob.compile("ab*ba", (char) 0);
    assertThat(overlap.matches("aba")).isFalse();
    assertThat(overlap.matches("abba")).isTrue();
    assertThat(overlap.matches("ab-ba")).isTrue();
    Glob credential = Glob.compile("**/*credential*", '/');
    assertThat(credential.matches("/srv/plant/secrets/plc-credentials.properties")).isTrue();
    assertThat(credential.matches("/srv/plant/credential/x")).isFalse(); // '*' does not cross '/'
    assertThat(credential.matches("/srv/plant/cred")).isFalse();
    Glob vendor = Glob.compile("/opt/vendor-1/**", '/');
    assertThat(vendor.matches("/opt/vendor-1/lib/a.jar")).isTrue();
    assertThat(vendor.matches("/opt/vendor-12/lib/a.jar")).isFalse();
    assertThat(vendor.matches("/opt/vendor-1")).isFalse();
    assertThat(vendor.matches("/opt/vendor-1/")).isTrue();
    Glob pem = Glob.compile("**/*.pem", '/');
    assertThat(pem.matches("/etc/ssl/a.pem")).isTrue();
    assertThat(pem.matches("/etc/ssl/a.pem.bak")).isFalse();
    // Through a CharSequence that is not a String (the executable base-name path).
    assertThat(pem.matches(new StringBuilder("/etc/ssl/b.pem"))).isTrue();
    assertThat(overlap.matches(new StringBuilder("aba"))).isFalse();
    // A literal prefix longer than 64 tokens starts the automaton in the high word.
    String longPrefix = "/" + "d".repeat(70) + "/";
    Glob deep = Glob.compile(longPrefix + "*.log", '/');
    assertThat(deep.matches(longPrefix + "app.log")).isTrue();
    assertThat(deep.matches(longPrefix + "sub/app.log")).isFalse();
    // Classes and single-character wildcards count towards the minimum length.
    Glob shortest = Glob.compile("[ab]?c*", (char) 0);
    assertThat(shortest.matches("ac")).isFalse();
    assertThat(shortest.matches("axc")).isTrue();
  }
}
