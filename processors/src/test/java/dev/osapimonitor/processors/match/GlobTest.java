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
}
