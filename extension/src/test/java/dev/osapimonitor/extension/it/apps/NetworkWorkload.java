package dev.osapimonitor.extension.it.apps;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Sockets and channels, connect/bind/accept, and the connections HTTP clients make. Prints the ports so the test
 * can match spans to calls.
 */
public final class NetworkWorkload {

  public static void main(String[] args) throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
      System.out.println("server-socket " + server.getLocalPort());
      try (Socket client = new Socket(loopback, server.getLocalPort()); Socket accepted = server.accept()) {
        System.out.println("socket-client-local " + client.getLocalPort());
      }
    }
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(loopback, 0));
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      System.out.println("server-channel " + port);
      try (SocketChannel client = SocketChannel.open(new InetSocketAddress(loopback, port));
          SocketChannel accepted = server.accept()) {
        System.out.println("channel-client-local " + ((InetSocketAddress) client.getLocalAddress()).getPort());
      }
    }
    HttpServer http = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    http.createContext("/", exchange -> {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    http.start();
    int httpPort = http.getAddress().getPort();
    System.out.println("http-server " + httpPort);
    HttpURLConnection connection =
        (HttpURLConnection) new URL("http://127.0.0.1:" + httpPort + "/url-connection").openConnection();
    System.out.println("url-connection " + connection.getResponseCode());
    connection.disconnect();
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<Void> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/http-client")).build(),
            HttpResponse.BodyHandlers.discarding());
    System.out.println("http-client " + response.statusCode());
    http.stop(0);
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
      closed = probe.getLocalPort();
    }
    try (Socket refused = new Socket(loopback, closed)) {
      System.out.println("unexpected connect");
    } catch (IOException e) {
      System.out.println("refused " + closed + " " + e.getClass().getName());
    }
    System.out.println("done");
  }

  static void drain(InputStream in) throws IOException {
    in.readAllBytes();
  }
}
