package dev.osapimonitor.extension.it;

import static dev.osapimonitor.extension.it.Spans.attr;
import static dev.osapimonitor.extension.it.Spans.named;
import static dev.osapimonitor.extension.it.Spans.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.extension.it.apps.NetworkWorkload;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The network family under capture-all: sockets, channels, and the connections of two HTTP clients. */
class NetworkFamilyIT {

  static List<ReceivedSpan> spans;
  static Map<String, Long> ports;
  static ChildJvm.Result result;
  static int receiverPort;

  @BeforeAll
  static void run() throws Exception {
    try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
      receiverPort = receiver.port();
      result = ChildJvm.of(NetworkWorkload.class).examplePolicy("capture-all.yaml").exportTo(receiver).run();
      spans = receiver.apiSpans();
    }
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    ports =
        result.lines().stream()
            .map(l -> l.split(" "))
            .filter(p -> p.length >= 2 && p[1].matches("\\d+") && !p[0].startsWith("url")
                && !p[0].startsWith("http-client"))
            .collect(Collectors.toMap(p -> p[0], p -> Long.parseLong(p[1]), (a, b) -> a));
  }

  @Test
  void socketConnectBindListenAndAccept() {
    long port = ports.get("server-socket");
    ReceivedSpan bind = single(spans, named("network.bind").and(attr("network.local.port", port)), "listen");
    assertThat(bind.attributes())
        .containsEntry("network.transport", "tcp")
        .containsEntry("osapi.network.listen", true)
        .containsEntry("network.local.address", "127.0.0.1");
    ReceivedSpan connect = single(spans, named("network.connect").and(attr("server.port", port)), "connect");
    assertThat(connect.kind().name()).isEqualTo("SPAN_KIND_CLIENT");
    assertThat(connect.attributes())
        // The application connected to InetAddress.getLoopbackAddress(), whose host name is "localhost".
        .containsEntry("server.address", "localhost")
        .containsEntry("network.peer.address", "127.0.0.1")
        .containsEntry("network.peer.port", port)
        .containsEntry("network.local.port", ports.get("socket-client-local"))
        .containsEntry("network.transport", "tcp");
    ReceivedSpan accept =
        single(spans, named("network.accept").and(attr("client.port", ports.get("socket-client-local"))), "accept");
    assertThat(accept.attributes()).containsEntry("client.address", "127.0.0.1").containsEntry("network.local.port",
        port);
  }

  @Test
  void channelConnectBindAndAccept() {
    long port = ports.get("server-channel");
    single(spans, named("network.bind").and(attr("network.local.port", port)), "channel bind");
    single(spans, named("network.connect").and(attr("server.port", port)), "channel connect");
    single(spans, named("network.accept").and(attr("client.port", ports.get("channel-client-local"))),
        "channel accept");
  }

  @Test
  void httpClientsConnectionsAreSeen() {
    long port = ports.get("http-server");
    // HttpURLConnection (java.net.Socket) and java.net.http.HttpClient (SocketChannel) both connect to the server.
    assertThat(Spans.where(spans, named("network.connect").and(attr("server.port", port)))).hasSize(2);
  }

  @Test
  void aRefusedConnectIsAnError() {
    long port = ports.get("refused");
    ReceivedSpan refused = single(spans, named("network.connect").and(attr("server.port", port)), "refused");
    assertThat(refused.isError()).isTrue();
    assertThat(refused.string("error.type")).isEqualTo("java.net.ConnectException");
  }

  @Test
  void theExportersOwnConnectionsAreNotRecorded() {
    assertThat(Spans.where(spans, s -> Long.valueOf(receiverPort).equals(s.attribute("server.port")))).isEmpty();
  }
}
