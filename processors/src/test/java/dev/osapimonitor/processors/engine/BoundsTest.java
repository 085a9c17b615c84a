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

  @Test
  void c1ControlsLineSeparatorsAndBidiOverridesBecomeVisible() {
    assertThat(Bounds.text("/tmp/a\u0085b\u009bc", 100)).isEqualTo("/tmp/a\\u0085b\\u009bc");
    assertThat(Bounds.text("line\u2028next\u2029", 100)).isEqualTo("line\\u2028next\\u2029");
    // "Trojan Source": an override makes /tmp/gpj.exe display as /tmp/exe.jpg.
    assertThat(Bounds.text("/tmp/\u202Egpj.exe", 100)).isEqualTo("/tmp/\\u202egpj.exe");
    assertThat(Bounds.text("/srv/\u2066x\u2069", 100)).isEqualTo("/srv/\\u2066x\\u2069");
    assertThat(Bounds.text("caf\u00e9 \u4e2d\u6587", 100)).isEqualTo("caf\u00e9 \u4e2d\u6587");
  }
}
