package dev.cairn.collector.transport.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.cairn.collector.config.CollectorConfig;
import dev.cairn.collector.ingest.IngestService;
import dev.cairn.collector.ingest.OtlpRequestParser;
import dev.cairn.collector.ingest.ParsedRequest;
import dev.cairn.collector.ingest.PublishFailedException;
import dev.cairn.collector.ingest.Transport;
import dev.cairn.model.otlp.OtlpJsonException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * OTLP/HTTP {@code POST /v1/traces}, binary protobuf or OTLP JSON, optionally gzip-compressed.
 * Answers in the request's content type: the export response on success, a {@code
 * google.rpc.Status} naming the reason on failure (OTLP/HTTP specification). Bodies over {@code
 * quarkus.http.limits.max-body-size} are refused with 413 by Vert.x before they are read.
 */
@Path("/v1/traces")
public class OtlpTraceResource {

  static final String PROTOBUF = "application/x-protobuf";
  private static final Logger LOG = Logger.getLogger(OtlpTraceResource.class);
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final IngestService ingest;
  private final CollectorConfig config;

  OtlpTraceResource(IngestService ingest, CollectorConfig config) {
    this.ingest = ingest;
    this.config = config;
  }

  /** Blocking: a send may wait up to max.block.ms for Kafka metadata, never on an event loop. */
  @POST
  @Consumes({PROTOBUF, MediaType.APPLICATION_JSON})
  @Blocking
  public Uni<Response> export(
      @HeaderParam(HttpHeaders.CONTENT_TYPE) MediaType contentType,
      @HeaderParam("Content-Encoding") String contentEncoding,
      byte[] body) {
    boolean json = MediaType.APPLICATION_JSON_TYPE.isCompatible(contentType);
    Transport transport = json ? Transport.HTTP_JSON : Transport.HTTP_PROTOBUF;
    ParsedRequest request;
    try {
      request =
          parse(BoundedGzip.decode(body, contentEncoding, config.ingest().maxRequestBytes()), json);
    } catch (BoundedGzip.BodyTooLargeException e) {
      return Uni.createFrom()
          .item(
              error(
                  Response.Status.REQUEST_ENTITY_TOO_LARGE,
                  Code.RESOURCE_EXHAUSTED,
                  e.getMessage(),
                  json));
    } catch (BoundedGzip.UnsupportedEncodingException e) {
      return Uni.createFrom()
          .item(
              error(
                  Response.Status.UNSUPPORTED_MEDIA_TYPE,
                  Code.INVALID_ARGUMENT,
                  e.getMessage(),
                  json));
    } catch (InvalidProtocolBufferException | OtlpJsonException e) {
      return Uni.createFrom()
          .item(
              malformed(
                  "malformed "
                      + (json ? "OTLP JSON" : "OTLP protobuf")
                      + " body: "
                      + e.getMessage(),
                  transport,
                  json));
    } catch (IOException e) {
      return Uni.createFrom()
          .item(malformed("malformed gzip body: " + e.getMessage(), transport, json));
    }
    return Uni.createFrom()
        .completionStage(() -> ingest.ingest(request, transport))
        .map(result -> ok(result.toResponse(), json))
        .onFailure(OtlpTraceResource::isPublishFailure)
        .recoverWithItem(failure -> publishFailed((PublishFailedException) unwrap(failure), json));
  }

  private static ParsedRequest parse(byte[] body, boolean json)
      throws InvalidProtocolBufferException {
    return json ? OtlpRequestParser.json(body) : OtlpRequestParser.protobuf(body);
  }

  private static boolean isPublishFailure(Throwable failure) {
    return unwrap(failure) instanceof PublishFailedException;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /**
   * 503 with Retry-After when a retry may succeed; otherwise 400, which OTLP/HTTP clients do not
   * retry (only 429, 502, 503 and 504 are retryable).
   */
  private Response publishFailed(PublishFailedException failure, boolean json) {
    if (!failure.retryable()) {
      return error(
          Response.Status.BAD_REQUEST,
          Code.INVALID_ARGUMENT,
          "spans refused, retrying will not help: " + failure.getMessage(),
          json);
    }
    String reason = "spans not accepted, retry later: " + failure.getMessage();
    return body(
            Response.status(Response.Status.SERVICE_UNAVAILABLE),
            status(Code.UNAVAILABLE, reason),
            json)
        .header("Retry-After", config.kafka().retryAfterSeconds())
        .build();
  }

  private static Response ok(Message message, boolean json) {
    return body(Response.ok(), message, json).build();
  }

  private Response malformed(String reason, Transport transport, boolean json) {
    LOG.debugf("refused an OTLP/HTTP request: %s", reason);
    ingest.rejectMalformed(transport);
    return error(Response.Status.BAD_REQUEST, Code.INVALID_ARGUMENT, reason, json);
  }

  private static Response error(
      Response.Status httpStatus, Code code, String reason, boolean json) {
    return body(Response.status(httpStatus), status(code, reason), json).build();
  }

  private static Status status(Code code, String message) {
    return Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
  }

  private static Response.ResponseBuilder body(
      Response.ResponseBuilder builder, Message message, boolean json) {
    if (!json) {
      return builder.type(PROTOBUF).entity(message.toByteArray());
    }
    try {
      return builder.type(MediaType.APPLICATION_JSON_TYPE).entity(JSON.print(message));
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unknown types fail to print; these messages have none.
      throw new IllegalStateException(e);
    }
  }
}
