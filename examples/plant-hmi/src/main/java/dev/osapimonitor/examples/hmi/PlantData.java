package dev.osapimonitor.examples.hmi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates the HMI's data directory on first start: tag history, config, a credentials file, empty folders. */
final class PlantData {

  private PlantData() {}

  static void prepare(Path data) throws IOException {
    for (String dir : new String[] {"history", "reports", "backup", "config", "secrets", "plugins"}) {
      Files.createDirectories(data.resolve(dir));
    }
    String[] tags = {"T1", "T2", "T3", "PRESSURE_1", "FLOW_2"};
    for (int t = 0; t < tags.length; t++) {
      Path file = data.resolve("history").resolve(tags[t] + ".csv");
      if (!Files.exists(file)) {
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 24; i++) {
          csv.append("2026-12-01T").append(String.format("%02d", i)).append(":00Z,")
              .append(100 + t * 10 + (i * 7) % 13).append('\n');
        }
        Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
      }
    }
    Path config = data.resolve("config").resolve("diagnostics.conf");
    if (!Files.exists(config)) {
      Files.writeString(config, "support.contact=plant-it@example.invalid\nbundle.maxBytes=65536\n");
    }
    Path secret = data.resolve("secrets").resolve("plc-credentials.properties");
    if (!Files.exists(secret)) {
      Files.writeString(secret, "# engineering workstation account for the PLCs (demo data)\nplc.user=engineer\n"
          + "plc.password=demo-only-not-a-real-password\n");
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
