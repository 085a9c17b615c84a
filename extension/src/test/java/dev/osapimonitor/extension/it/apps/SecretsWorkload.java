package dev.osapimonitor.extension.it.apps;

import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.naming.InitialContext;

/**
 * Carries secrets through every way they reach an OS-API call: each corpus command line as a process start (as
 * arguments, and inside one shell string), JNDI names, file paths, environment variables, and a private key file
 * that is read. The programs are not run (their directory does not exist) except the shell, which exits at once.
 *
 * <p>Usage: {@code SecretsWorkload <corpus file> <work dir>}
 */
public final class SecretsWorkload {

  public static void main(String[] args) throws Exception {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        lines.add(line.substring(0, line.indexOf('\t')));
      }
    }
    int started = 0;
    for (String line : lines) {
      List<String> argv = new ArrayList<>(Arrays.asList(line.split(" ")));
      argv.set(0, "/nonexistent/osapi/bin/" + argv.get(0));
      try {
        new ProcessBuilder(argv).start();
      } catch (Exception expected) {
        started++;
      }
      new ProcessBuilder("/bin/sh", "-c", "exit 0; " + line).start().waitFor();
      started++;
    }
    for (String name : List.of("ldap://admin:S3cretJndi1@127.0.0.1:1/o=plant",
        "rmi://127.0.0.1:1/historian?password=S3cretJndi2", "ldap://127.0.0.1:1/cn=x,token=S3cretJndi3")) {
      try {
        new InitialContext().lookup(name);
      } catch (Exception expected) {
        started++;
      }
    }
    for (String path : List.of("/nonexistent/osapi/password=S3cretPath1/report.csv",
        "/nonexistent/osapi/ghp_abcdefghijklmnopqrstuvwxyzPATH123456/x",
        "/nonexistent/osapi/api_key=S3cretPath2.json")) {
      try {
        new FileInputStream(path).close();
      } catch (Exception expected) {
        started++;
      }
    }
    System.out.println("env " + (System.getenv("PLANT_DB_PASSWORD") != null) + " " + System.getenv().size());
    Path key = Paths.get(args[1]).resolve("id_rsa");
    Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nKeyFileContentS3cret\n-----END OPENSSH PRIVATE KEY-----\n");
    try (FileInputStream in = new FileInputStream(key.toFile())) {
      System.out.println("key bytes " + in.readAllBytes().length);
    }
    System.out.println("calls " + started);
  }
}
