package dev.osapimonitor.examples.hmi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A PLC stand-in: a line protocol on a local TCP port ({@code READ 40001} → {@code VALUE 40001 1234}). Real HMIs
 * speak Modbus/TCP or S7 here; what matters for the monitor is that the HMI opens a connection to it.
 */
final class PlcSimulator implements AutoCloseable {

  private final ServerSocket server;
  private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "plc-simulator");
    t.setDaemon(true);
    return t;
  });

  PlcSimulator(int port) throws IOException {
    server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "plc-simulator-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        workers.submit(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serve(Socket socket) {
    try (socket;
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII)) {
      String line = in.readLine();
      if (line != null && line.startsWith("READ ")) {
        String register = line.substring(5).trim();
        int value = Math.floorMod(register.hashCode() * 31 + (int) (System.currentTimeMillis() / 1000), 4096);
        out.write("VALUE " + register + " " + value + "\n");
      } else {
        out.write("ERROR unknown command\n");
      }
      out.flush();
    } catch (IOException e) {
      // the client went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    workers.shutdownNow();
  }
}
