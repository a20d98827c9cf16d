package dev.cairn.loadgen.transport.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * The OTLP trace export method. The opentelemetry-proto jar has the messages but no gRPC stubs, so
 * the method is described here from the service and method names of {@code trace_service.proto}.
 */
public final class OtlpTraceMethod {

  public static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";

  public static final MethodDescriptor<ExportTraceServiceRequest, ExportTraceServiceResponse>
      EXPORT =
          MethodDescriptor.<ExportTraceServiceRequest, ExportTraceServiceResponse>newBuilder()
              .setType(MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
              .setRequestMarshaller(
                  ProtoUtils.marshaller(ExportTraceServiceRequest.getDefaultInstance()))
              .setResponseMarshaller(
                  ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
              .build();

  private OtlpTraceMethod() {}
}
