package dev.osapimonitor.extension.it;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** OTLP/gRPC receiver on grpc-java, bound to loopback. */
public final class GrpcOtlpReceiver extends OtlpReceiver {

  private final Server server;

  public GrpcOtlpReceiver() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(
                new TraceServiceGrpc.TraceServiceImplBase() {
                  @Override
                  public void export(
                      ExportTraceServiceRequest request,
                      StreamObserver<ExportTraceServiceResponse> responseObserver) {
                    try {
                      OtlpReceiver.Refusal refusal = nextRefusal();
                      if (refusal != null) {
                        io.grpc.Status status = refusal.httpStatus() == 429
                            ? io.grpc.Status.RESOURCE_EXHAUSTED
                            : refusal.httpStatus() == 400 ? io.grpc.Status.INVALID_ARGUMENT : io.grpc.Status.UNAVAILABLE;
                        responseObserver.onError(status.withDescription("test fault").asRuntimeException());
                        return;
                      }
                      accept(request.toByteArray());
                      responseObserver.onNext(ExportTraceServiceResponse.getDefaultInstance());
                      responseObserver.onCompleted();
                    } catch (Exception e) {
                      responseObserver.onError(e);
                    }
                  }
                })
            .build()
            .start();
  }

  @Override
  public String endpoint() {
    return "http://127.0.0.1:" + server.getPort();
  }

  @Override
  public String protocol() {
    return "grpc";
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
