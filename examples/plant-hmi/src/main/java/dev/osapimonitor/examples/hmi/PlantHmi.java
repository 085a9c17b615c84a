package dev.osapimonitor.examples.hmi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A small plant HMI / historian: tag history from files, reports, PLC polling over TCP, a maintenance backup, and a
 * "diagnostics" support bundle.
 *
 * <p><b>Deliberately vulnerable.</b> {@code GET /diagnostics} builds a shell command from the {@code host} parameter
 * (command injection), reads any file named by {@code include} (path traversal), uploads the bundle to any
 * {@code upload=host:port} and loads a native "codec" library from the plugins directory. It exists so that the
 * osapi-monitor example can show an intrusion. Never expose it beyond loopback.
 *
 * <p>Usage: {@code java -jar plant-hmi.jar [--port 8080] [--plc-port 5020] [--data ./plant-data]}
 */
public final class PlantHmi {

  private static final Pattern TAG = Pattern.compile("[A-Z][A-Z0-9_]{0,15}");
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

  private final Path data;
  private final int plcPort;

  PlantHmi(Path data, int plcPort) {
    this.data = data;
    this.plcPort = plcPort;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    int port = Integer.parseInt(options.getOrDefault("--port", "8080"));
    int plcPort = Integer.parseInt(options.getOrDefault("--plc-port", "5020"));
    Path data = Paths.get(options.getOrDefault("--data", "plant-data")).toAbsolutePath();
    PlantData.prepare(data);
    PlcSimulator plc = new PlcSimulator(plcPort);
    PlantHmi hmi = new PlantHmi(data, plc.port());
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server.createContext("/tags/history", hmi::tagHistory);
    server.createContext("/reports", hmi::report);
    server.createContext("/plc/poll", hmi::plcPoll);
    server.createContext("/maintenance/backup", hmi::backup);
    server.createContext("/diagnostics", hmi::diagnostics);
    server.createContext("/health", exchange -> respond(exchange, 200, "ok\n"));
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop(0);
      try {
        plc.close();
      } catch (IOException ignored) {
        // exiting
      }
    }, "plant-hmi-shutdown"));
    System.out.println("plant-hmi listening on http://127.0.0.1:" + server.getAddress().getPort() + " (PLC on "
        + plc.port() + ", data in " + data + ")");
    System.out.flush();
  }

  // ---- handlers

  private void tagHistory(HttpExchange exchange) throws IOException {
    String tag = query(exchange).getOrDefault("tag", "");
    if (!TAG.matcher(tag).matches()) {
      respond(exchange, 400, "bad tag\n");
      return;
    }
    Path file = data.resolve("history").resolve(tag + ".csv");
    if (!Files.exists(file)) {
      respond(exchange, 404, "no history for " + tag + "\n");
      return;
    }
    respond(exchange, 200, Files.readString(file, StandardCharsets.UTF_8));
  }

  private void report(HttpExchange exchange) throws IOException {
    String name = query(exchange).getOrDefault("name", "");
    if (!NAME.matcher(name).matches()) {
      respond(exchange, 400, "bad report name\n");
      return;
    }
    StringBuilder csv = new StringBuilder("tag,last\n");
    try (DirectoryStream<Path> history = Files.newDirectoryStream(data.resolve("history"), "*.csv")) {
      for (Path file : history) {
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n");
        csv.append(file.getFileName().toString().replace(".csv", "")).append(',')
            .append(lines[lines.length - 1]).append('\n');
      }
    }
    Path out = data.resolve("reports").resolve(name + ".csv");
    Files.writeString(out, csv.toString(), StandardCharsets.UTF_8);
    respond(exchange, 201, "report " + out.getFileName() + "\n");
  }

  private void plcPoll(HttpExchange exchange) throws IOException {
    String register = query(exchange).getOrDefault("register", "40001");
    if (!register.matches("4[0-9]{4}")) {
      respond(exchange, 400, "bad register\n");
      return;
    }
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), plcPort);
        Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
      out.write("READ " + register + "\n");
      out.flush();
      respond(exchange, 200, in.readLine() + "\n");
    }
  }

  /** The weekly maintenance job: copies the history to a dated backup and prunes old reports. */
  private void backup(HttpExchange exchange) throws IOException {
    Path target = data.resolve("backup").resolve(LocalDate.now().toString());
    Files.createDirectories(target);
    int copied = 0;
    try (DirectoryStream<Path> history = Files.newDirectoryStream(data.resolve("history"), "*.csv")) {
      for (Path file : history) {
        Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        copied++;
      }
    }
    int pruned = 0;
    File[] reports = data.resolve("reports").toFile().listFiles();
    if (reports != null) {
      for (File report : reports) {
        if (report.getName().startsWith("shift-") && report.delete()) {
          pruned++;
        }
      }
    }
    respond(exchange, 200, "backup: " + copied + " files, pruned " + pruned + " reports\n");
  }

  /**
   * VULNERABLE BY DESIGN: the support bundle. {@code host} goes into a shell command unchecked; {@code include} is
   * resolved against the config directory without containment; {@code upload} sends the bundle anywhere;
   * {@code codec} loads {@code plugins/lib<codec>.so}.
   */
  private void diagnostics(HttpExchange exchange) throws IOException {
    Map<String, String> q = query(exchange);
    StringBuilder bundle = new StringBuilder();
    Path config = data.resolve("config").resolve("diagnostics.conf");
    bundle.append("# config\n").append(Files.readString(config, StandardCharsets.UTF_8));
    String host = q.getOrDefault("host", "127.0.0.1");
    ProcessBuilder command =
        new ProcessBuilder("/bin/sh", "-c", "echo diagnostics for " + host + "; uname -sr")
            .directory(data.toFile())
            .redirectErrorStream(true);
    Process process = command.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit;
    try {
      exit = process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = -1;
    }
    bundle.append("# command (exit ").append(exit).append(")\n").append(output);
    String include = q.get("include");
    if (include != null) {
      Path file = data.resolve("config").resolve(include).normalize();
      bundle.append("# ").append(include).append('\n').append(Files.readString(file, StandardCharsets.UTF_8));
    }
    String upload = q.get("upload");
    if (upload != null) {
      int colon = upload.lastIndexOf(':');
      try (Socket socket = new Socket(upload.substring(0, colon), Integer.parseInt(upload.substring(colon + 1)));
          OutputStream out = socket.getOutputStream()) {
        out.write(bundle.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    String codec = q.get("codec");
    String codecResult = "none";
    if (codec != null) {
      Path library = data.resolve("plugins").resolve("lib" + codec + ".so");
      try {
        System.load(library.toString());
        codecResult = "loaded " + library.getFileName();
      } catch (UnsatisfiedLinkError e) {
        codecResult = "not loaded: " + e.getMessage();
      }
    }
    respond(exchange, 200, "bundle " + bundle.length() + " bytes, codec " + codecResult + "\n");
  }

  // ---- plumbing

  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> q = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
