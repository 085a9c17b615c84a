package dev.osapimonitor.extension.cli;

import dev.osapimonitor.processors.policy.Policy;
import dev.osapimonitor.processors.policy.PolicyException;
import dev.osapimonitor.processors.policy.PolicyParser;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/** The commands of {@link OsApiMonitorCli}. Exit codes: 0 success, 1 invalid input, 2 usage error. */
public final class CliCommands {

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar osapi-monitor-extension.jar <command> [arguments]",
          "",
          "commands:",
          "  validate <policy.yaml>...   check policies; exit 0 when all are valid, 1 otherwise",
          "  summary <capture.jsonl>...  print a readable table of OTLP-JSON capture files",
          "  flag raise|lower|list --pid <pid> ...",
          "                              raise, lower or list the flags of a running JVM (local attach, same user)",
          "  version                     print the version");

  private CliCommands() {}

  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "validate":
        return validate(rest, out, err);
      case "summary":
        if (rest.length == 0) {
          err.println("usage: summary <capture.jsonl>...");
          return 2;
        }
        return dev.osapimonitor.exporter.file.CaptureSummary.print(rest, out, err);
      case "flag":
        return FlagCommand.run(rest, out, err);
      case "version":
        out.println("osapi-monitor " + dev.osapimonitor.processors.engine.EngineVersion.VERSION);
        return 0;
      case "help":
      case "--help":
      case "-h":
        out.println(USAGE);
        return 0;
      default:
        err.println("unknown command '" + args[0] + "'\n" + USAGE);
        return 2;
    }
  }

  static int validate(String[] files, PrintStream out, PrintStream err) {
    if (files.length == 0) {
      err.println("usage: validate <policy.yaml>...");
      return 2;
    }
    int status = 0;
    for (String name : files) {
      Path file = Paths.get(name);
      if (!Files.isRegularFile(file)) {
        err.println(name + ": no such file");
        status = 1;
        continue;
      }
      try {
        Policy policy = PolicyParser.parseFile(file);
        out.println("OK " + name + ": " + policy + " sha256=" + policy.sha256());
      } catch (PolicyException e) {
        err.println("INVALID " + e.getMessage());
        status = 1;
      }
    }
    return status;
  }
}
