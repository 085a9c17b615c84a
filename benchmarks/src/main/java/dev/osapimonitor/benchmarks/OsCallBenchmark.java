package dev.osapimonitor.benchmarks;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One OS-facing API call per invocation, exactly as an application makes it. {@link BenchmarkSuite} runs each of
 * these in forked JVMs with different {@code -javaagent} configurations and compares the times.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OsCallBenchmark {

  private File readFile;
  private File writeFile;
  private ServerSocket server;
  private Thread acceptor;
  private InetSocketAddress serverAddress;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    File dir = Files.createTempDirectory("osapi-bench").toFile();
    readFile = new File(dir, "history.csv");
    Files.writeString(readFile.toPath(), "timestamp,value\n");
    writeFile = new File(dir, "report.csv");
    server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    serverAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        // The client closes first, with a reset (no TIME_WAIT: a long run would exhaust the ephemeral ports);
        // the server waits for that before closing its side.
        try (Socket accepted = server.accept()) {
          accepted.getInputStream().read();
        } catch (IOException e) {
          // the client's reset, or the server socket closed
        }
      }
    }, "bench-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    server.close();
    readFile.delete();
    writeFile.delete();
  }

  @Benchmark
  public void fileOpenRead() throws IOException {
    new FileInputStream(readFile).close();
  }

  @Benchmark
  public void fileOpenWrite() throws IOException {
    new FileOutputStream(writeFile, true).close();
  }

  @Benchmark
  public int processStart() throws IOException, InterruptedException {
    return new ProcessBuilder("/bin/true").start().waitFor();
  }

  @Benchmark
  public void socketConnect() throws IOException {
    try (Socket s = new Socket()) {
      s.setSoLinger(true, 0);
      s.connect(serverAddress, 5000);
    }
  }

  @Benchmark
  public InetAddress[] dnsLookup() throws IOException {
    return InetAddress.getAllByName("localhost");
  }

  @Benchmark
  public String getenv() {
    return System.getenv("HOME");
  }
}
