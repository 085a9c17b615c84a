package dev.osapimonitor.extension.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.SecretsWorkload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret corpus (src/test/resources/secrets-corpus.txt, 38 command lines) through the real agent under capture-all,
 * over OTLP/HTTP and in the local file: command lines (as arguments and inside one shell string), JNDI names,
 * paths, environment variables, the JVM's own command line, a private key file read by the application. No secret
 * appears in any exported byte, while the calls themselves are all there.
 */
class SecretsIT {

  @TempDir Path dir;

  static List<String> corpusSecrets(Path corpus) throws Exception {
    List<String> secrets = new ArrayList<>();
    for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        secrets.addAll(List.of(line.substring(line.indexOf('\t') + 1).split(",")));
      }
    }
    return secrets;
  }

  @Test
  void noSecretLeavesTheProcess() throws Exception {
    Path corpus = Paths.get("src", "test", "resources", "secrets-corpus.txt").toAbsolutePath();
    List<String> secrets = new ArrayList<>(corpusSecrets(corpus));
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(30);
    secrets.addAll(List.of("S3cretJndi1", "S3cretJndi2", "S3cretJndi3", "S3cretPath1", "S3cretPath2",
        "ghp_abcdefghijklmnopqrstuvwxyzPATH123456", "EnvS3cretValue1", "EnvS3cretValue2", "JvmS3cret1",
        "KeyFileContentS3cret"));
    Path capture = dir.resolve("captures.jsonl");
    List<byte[]> exported;
    List<ReceivedSpan> spans;
    ChildJvm.Result r;
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      r = ChildJvm.of(SecretsWorkload.class)
          .examplePolicy("capture-all.yaml")
          .exportTo(receiver)
          .jvmArg("-Dplant.db.password=JvmS3cret1")
          .env("PLANT_DB_PASSWORD", "EnvS3cretValue1")
          .env("HISTORIAN_TOKEN", "EnvS3cretValue2")
          .args(corpus.toString(), dir.toString())
          .timeoutSeconds(180)
          .run();
      exported = receiver.rawRequests();
      spans = receiver.apiSpans();
    }
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    long calls = Long.parseLong(r.lines().stream().filter(l -> l.startsWith("calls ")).findFirst().orElseThrow()
        .substring(6));
    // The local-file exporter too (no endpoint): the same workload, the same promise.
    ChildJvm.Result f = ChildJvm.of(SecretsWorkload.class)
        .examplePolicy("capture-all.yaml")
        .property("otel.instrumentation.osapi.exporter.file.path", capture.toString())
        .jvmArg("-Dplant.db.password=JvmS3cret1")
        .env("PLANT_DB_PASSWORD", "EnvS3cretValue1")
        .env("HISTORIAN_TOKEN", "EnvS3cretValue2")
        .args(corpus.toString(), dir.toString())
        .timeoutSeconds(180)
        .run();
    assertThat(f.exitCode()).as(f.stderr()).isZero();

    // The calls are there...
    long shapes = Files.readAllLines(corpus).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    assertThat(shapes).isGreaterThanOrEqualTo(30);
    assertThat(spans.stream().filter(s -> s.name().equals("process.exec")).count()).isGreaterThanOrEqualTo(2 * shapes);
    assertThat(spans.stream().filter(s -> s.name().equals("jndi.lookup")).count()).isGreaterThanOrEqualTo(3);
    assertThat(spans.stream().filter(s -> "env".equals(s.string("osapi.family"))).count()).isGreaterThanOrEqualTo(1);
    assertThat(spans.stream().filter(s -> String.valueOf(s.string("file.path")).endsWith("id_rsa"))).isNotEmpty();
    assertThat(calls).isEqualTo(2 * shapes + 6);
    // ...and the secrets are not.
    byte[] file = Files.readAllBytes(capture);
    assertThat(file.length).isGreaterThan(10_000);
    List<String> leaked = new ArrayList<>();
    for (String secret : secrets) {
      byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
      for (byte[] request : exported) {
        if (indexOf(request, needle) >= 0) {
          leaked.add(secret + " (OTLP)");
          break;
        }
      }
      if (indexOf(file, needle) >= 0) {
        leaked.add(secret + " (file)");
      }
    }
    assertThat(leaked).as("secrets found in exported bytes").isEmpty();
    System.out.println("FIGURE secrets secrets=" + secrets.size() + " shapes=" + shapes + " spans=" + spans.size() + " leaked=0");
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
