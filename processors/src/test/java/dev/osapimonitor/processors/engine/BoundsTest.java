package dev.osapimonitor.processors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundsTest {

  @Test
  void longValuesAreCutAndMarked() {
    String huge = "x".repeat(1 << 20);
    String bounded = Bounds.text(huge, 4096);
    assertThat(bounded).startsWith("xxxx").endsWith("...[truncated " + ((1 << 20) - 4096) + " chars]");
    assertThat(bounded.length()).isLessThan(4200);
    assertThat(Bounds.wasTruncated(bounded)).isTrue();
  }

  @Test
  void controlCharactersAndBrokenSurrogatesBecomeVisible() {
    assertThat(Bounds.text("/tmp/a\nfake log line\u0007", 100)).isEqualTo("/tmp/a\\x0afake log line\\x07");
    assertThat(Bounds.text("bad\uD800surrogate", 100)).isEqualTo("bad\uFFFDsurrogate");
    assertThat(Bounds.text("ok \uD83D\uDE00 emoji", 100)).isEqualTo("ok \uD83D\uDE00 emoji");
  }

  @Test
  void cleanShortValuesAreReturnedAsIs() {
    String s = "/etc/hostname";
    assertThat(Bounds.text(s, 100)).isSameAs(s);
  }
}
