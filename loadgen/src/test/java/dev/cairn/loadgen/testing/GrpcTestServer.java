package dev.cairn.loadgen.testing;

import dev.cairn.loadgen.transport.grpc.OtlpTraceMethod;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** An OTLP/gRPC receiver on a free local port, answering as its {@link ScriptedReceiver} says. */
public final class GrpcTestServer implements AutoCloseable {

  private final Server server;

  public GrpcTestServer(ScriptedReceiver receiver) throws IOException {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(OtlpTraceMethod.SERVICE)
            .addMethod(
                OtlpTraceMethod.EXPORT,
                ServerCalls.asyncUnaryCall(
                    (request, observer) -> {
                      ExportTraceServiceResponse answer = receiver.answer(request);
                      if (answer == null) {
                        observer.onError(
                            Status.UNAVAILABLE
                                .withDescription("scripted failure")
                                .asRuntimeException());
                      } else {
                        observer.onNext(answer);
                        observer.onCompleted();
                      }
                    }))
            .build();
    this.server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(service)
            .build()
            .start();
  }

  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
