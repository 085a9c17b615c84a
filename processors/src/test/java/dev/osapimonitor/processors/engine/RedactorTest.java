package dev.osapimonitor.processors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.processors.policy.Redaction;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The secret corpus: command lines, URLs, JNDI names and paths carrying secrets in the shapes seen in practice. The
 * secret must not survive redaction; the rest should (an analyst still needs the command).
 */
class RedactorTest {

  static Stream<Arguments> commandLines() {
    return Stream.of(
        cmd("mysql -uroot -pS3cretPw1 plant", "S3cretPw1"),
        cmd("mysqldump --password=S3cretPw2 db", "S3cretPw2"),
        cmd("mysqladmin --password S3cretPw3 status", "S3cretPw3"),
        cmd("sshpass -p S3cretPw4 ssh plc@10.0.0.5", "S3cretPw4"),
        cmd("redis-cli -a S3cretPw5 ping", "S3cretPw5"),
        cmd("java -Ddb.password=S3cretPw6 -jar app.jar", "S3cretPw6"),
        cmd("java -Dspring.datasource.password=S3cretPw7 -jar app.jar", "S3cretPw7"),
        cmd("app --passwd S3cretPw8", "S3cretPw8"),
        cmd("app --pwd=S3cretPw9", "S3cretPw9"),
        cmd("app PASSWORD=S3cretPwA", "S3cretPwA"),
        cmd("app --token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
        cmd("app --api-key=k3y-S3cretB", "k3y-S3cretB"),
        cmd("app apikey:S3cretC", "S3cretC"),
        cmd("curl -H Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl http://h/",
            "eyJzdWIiOiIxMjM0In0"),
        cmd("curl -H Authorization: Basic YWRtaW46c2VjcmV0cHc= http://h/", "YWRtaW46c2VjcmV0cHc="),
        cmd("curl https://admin:S3cretD@historian.plant.local/export", "S3cretD"),
        cmd("aws s3 ls --access-key AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        cmd("env AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY aws s3 ls",
            "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"),
        cmd("gcloud --key AIzaSyA1234567890abcdefghijklmnopqrstuv", "AIzaSyA1234567890abcdefghijklmnopqrstuv"),
        cmd("app ya29.a0AfH6SMBx1234567890abcdefghijkl", "ya29.a0AfH6SMBx1234567890abcdefghijkl"),
        cmd("java -jar x.jar jdbc:postgresql://historian:S3cretE@db:5432/plant", "S3cretE"),
        cmd("java -jar x.jar jdbc:mysql://db/plant?user=root&password=S3cretF", "S3cretF"),
        cmd("java -jar x.jar jdbc:oracle:thin:scott/S3cretG@db:1521/ORCL", "S3cretG"),
        cmd("java -jar x.jar jdbc:sqlserver://db;user=sa;password=S3cretH;database=plant", "S3cretH"),
        cmd("keytool -list -keystore k.jks -storepass S3cretI", "S3cretI"),
        cmd("keytool -importkeystore -srcstorepass S3cretJ -deststorepass S3cretK", "S3cretJ", "S3cretK"),
        cmd("openssl pkcs12 -in c.p12 -passin pass:S3cretL", "S3cretL"),
        cmd("app --client-secret=S3cretM", "S3cretM"),
        cmd("app secret_key=S3cretN", "S3cretN"),
        cmd("app --auth-token S3cretO", "S3cretO"),
        cmd("app xoxb-123456789012-abcdefghijklmnop", "xoxb-123456789012-abcdefghijklmnop"),
        cmd("app sk_live_abcdefghijklmnop1234", "sk_live_abcdefghijklmnop1234"),
        cmd("app -----BEGIN RSA PRIVATE KEY-----MIIEpAIBAAKCAQEA-----END RSA PRIVATE KEY-----", "MIIEpAIBAAKCAQEA"),
        cmd("psql postgresql://plant:S3cretP@db/plant", "S3cretP"),
        cmd("app session_token=S3cretQ", "S3cretQ"),
        cmd("app --db-password S3cretR", "S3cretR"));
  }

  private static Arguments cmd(String commandLine, String... secrets) {
    return Arguments.of(commandLine, List.of(secrets));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commandLines")
  void secretsInCommandLinesAreRedacted(String commandLine, List<String> secrets) {
    Redactor redactor = new Redactor(new Redaction(List.of(), List.of("--db-password")));
    List<String> args = redactor.arguments(Arrays.asList(commandLine.split(" ")));
    String joined = String.join(" ", args);
    for (String secret : secrets) {
      assertThat(joined).doesNotContain(secret);
      // The same text as one string (a URL, a JNDI name, a path) is redacted by text() alone.
      if (!commandLine.contains(" -p") && !commandLine.startsWith("sshpass") && !commandLine.startsWith("redis")
          && !commandLine.contains("--passwd ") && !commandLine.contains("--password ")
          && !commandLine.contains("--token ") && !commandLine.contains("--access-key ")
          && !commandLine.contains("-storepass ") && !commandLine.contains("store") && !commandLine.contains("--auth-token ")
          && !commandLine.contains("--db-password ")) {
        assertThat(redactor.text(commandLine)).doesNotContain(secret);
      }
    }
    assertThat(joined).contains(Redactor.MASK);
    assertThat(args.get(0)).isEqualTo(commandLine.split(" ")[0]);
  }

  @org.junit.jupiter.api.Test
  void corpusHasAtLeastThirtyShapes() {
    assertThat(commandLines().count()).isGreaterThanOrEqualTo(30);
  }

  @org.junit.jupiter.api.Test
  void policyPatternsMaskTheirSecretGroup() {
    Redactor redactor =
        new Redactor(new Redaction(List.of(Pattern.compile("plant-(?<secret>[0-9]{6})")), List.of()));
    assertThat(redactor.text("/opt/hmi/plant-123456/config")).isEqualTo("/opt/hmi/plant-<redacted>/config");
  }

  @org.junit.jupiter.api.Test
  void ordinaryCommandsAreLeftAlone() {
    Redactor redactor = Redactor.builtIn();
    assertThat(redactor.arguments(List.of("/bin/sh", "-c", "ping -c 1 10.0.0.5")))
        .containsExactly("/bin/sh", "-c", "ping -c 1 10.0.0.5");
    assertThat(redactor.arguments(List.of("ssh", "-p", "2222", "plc@host")))
        .containsExactly("ssh", "-p", "2222", "plc@host");
    assertThat(redactor.text("ldap://attacker.example:1389/Exploit")).isEqualTo("ldap://attacker.example:1389/Exploit");
  }

  @org.junit.jupiter.api.Test
  void secretsInsideOneShellStringAndCurlCredentialsAreRedacted() {
    Redactor redactor = new Redactor(new Redaction(List.of(), List.of("--Plant-Key")));
    assertThat(redactor.text("mysql --password S3cretS -h db plant")).doesNotContain("S3cretS");
    assertThat(redactor.text("/bin/sh -c mysql -uroot -pS3cretS2 plant")).doesNotContain("S3cretS2")
        .contains("-uroot");
    assertThat(redactor.text("exit 0; /usr/bin/sshpass -p S3cretS3 ssh plc@h")).doesNotContain("S3cretS3");
    assertThat(redactor.text("redis-cli -a S3cretS4 ping")).doesNotContain("S3cretS4");
    assertThat(redactor.text("ssh -p 2222 plc@host")).isEqualTo("ssh -p 2222 plc@host"); // a port, not a secret
    assertThat(redactor.text("curl --user=op:S3cretS5 https://h/x")).doesNotContain("S3cretS5").contains("https://h/x");
    assertThat(redactor.text("curl -uop:S3cretS6 https://h/x")).doesNotContain("S3cretS6").contains("https://h/x");
    assertThat(redactor.text("/bin/sh -c mysqldump --password=S3cretT plant")).doesNotContain("S3cretT");
    assertThat(redactor.text("curl -u admin:S3cretU http://historian/export")).doesNotContain("S3cretU")
        .contains("admin:");
    assertThat(redactor.arguments(List.of("curl", "-u", "admin:S3cretV", "http://h/")))
        .containsExactly("curl", "-u", "admin:" + Redactor.MASK, "http://h/");
    assertThat(redactor.text("http://historian/api?key=S3cretW&tag=T1")).doesNotContain("S3cretW").contains("tag=T1");
    // Policy flags match whatever their case.
    assertThat(String.join(" ", redactor.arguments(List.of("hmi", "--plant-key", "S3cretX")))).doesNotContain("S3cretX");
    assertThat(String.join(" ", redactor.arguments(List.of("hmi", "--PLANT-KEY=S3cretY")))).doesNotContain("S3cretY");
  }

  @org.junit.jupiter.api.Test
  void wordsThatOnlyContainAShortSecretWordKeepTheirValues() {
    Redactor redactor = Redactor.builtIn();
    assertThat(redactor.text("report?author=jdoe&bypass=cache")).isEqualTo("report?author=jdoe&bypass=cache");
    assertThat(redactor.text("x-auth=S3cretZ")).doesNotContain("S3cretZ");
    assertThat(redactor.text("dbPass=S3cret1")).doesNotContain("S3cret1");
    assertThat(redactor.text("db_pwd: S3cret2")).doesNotContain("S3cret2");
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Timeout(60) // a hang guard, not a speed target: the old pattern needed hours here
  void hostileTextIsRedactedInLinearTime() {
    Redactor redactor = Redactor.builtIn();
    String words = "a1".repeat(512 * 1024);
    assertThat(redactor.text(words + "=x")).isEqualTo(words + "=x");
    assertThat(redactor.text(words + "password=S3cret3")).doesNotContain("S3cret3");
    String colons = ":".repeat(1 << 20);
    assertThat(redactor.text(colons)).isEqualTo(colons);
    String flags = " -p".repeat(300_000);
    assertThat(redactor.text(flags)).isEqualTo(flags);
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Timeout(60)
  void aPolicyPatternThatRunsAwayMasksTheWholeValue() {
    Redactor redactor = new Redactor(new Redaction(List.of(Pattern.compile("(x+x+)+y")), List.of()));
    assertThat(redactor.text("x".repeat(5000))).isEqualTo(Redactor.MASK);
    assertThat(redactor.text("plain/path")).isEqualTo("plain/path");
  }
}
