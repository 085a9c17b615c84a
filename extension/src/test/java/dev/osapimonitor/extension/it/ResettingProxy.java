package dev.osapimonitor.extension.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a receiver that resets its first {@code resets} connections in the middle of
 * the request: it reads part of what the exporter sends, then aborts the connection (RST). Later connections are
 * forwarded both ways.
 */
public final class ResettingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final int resets;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger reset = new AtomicInteger();

  public ResettingProxy(int targetPort, int resets) throws IOException {
    this.targetPort = targetPort;
    this.resets = resets;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "resetting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public int resetCount() {
    return reset.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (connections.incrementAndGet() <= resets) {
          Thread t = new Thread(() -> resetMidRequest(client), "proxy-reset");
          t.setDaemon(true);
          t.start();
        } else {
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
          pipe(client, upstream);
          pipe(upstream, client);
        }
      } catch (IOException e) {
        // closed
      }
    }
  }

  private void resetMidRequest(Socket client) {
    try {
      InputStream in = client.getInputStream();
      byte[] buf = new byte[64];
      int total = 0;
      while (total < 64) {
        int n = in.read(buf, total, buf.length - total);
        if (n < 0) {
          break;
        }
        total += n;
      }
      reset.incrementAndGet();
      client.setSoLinger(true, 0);
      client.close();
    } catch (IOException e) {
      // the exporter gave up first
    }
  }

  private static void pipe(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        try {
          to.shutdownOutput();
        } catch (IOException e) {
          // already closed
        }
      }
    }, "proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
