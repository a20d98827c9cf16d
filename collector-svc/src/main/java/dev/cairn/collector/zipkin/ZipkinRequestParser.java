package dev.cairn.collector.zipkin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.cairn.collector.ingest.ParsedRequest;
import dev.cairn.collector.ingest.StringRepair;
import java.io.IOException;
import java.util.List;

/**
 * Reads the body of {@code POST /api/v2/spans}, Zipkin v2 JSON or proto3, into the OTLP request
 * that {@code IngestService} takes, so that Zipkin spans are validated, bounded, counted and
 * published exactly as OTLP ones. As for OTLP JSON, invalid UTF-8 does not lose the request: the
 * body is read again with each bad sequence replaced (and counted).
 */
public final class ZipkinRequestParser {

  private ZipkinRequestParser() {}

  /**
   * @throws ZipkinFormatException when the body is not a JSON list of Zipkin v2 spans
   */
  public static ParsedRequest json(byte[] body) throws ZipkinFormatException {
    List<ZipkinSpan> spans;
    long replaced = 0;
    try {
      spans = readJson(body);
    } catch (ZipkinFormatException malformed) {
      ByteString bytes = UnsafeByteOperations.unsafeWrap(body);
      if (bytes.isValidUtf8()) {
        throw malformed;
      }
      long[] count = {0};
      spans = readJson(StringRepair.decodeUtf8(bytes, count));
      replaced = count[0];
    }
    // JSON escapes can spell unpaired surrogates: SpanSanitizer looks for them.
    return new ParsedRequest(ZipkinSpanMapper.toRequest(spans), replaced, true);
  }

  /**
   * @throws ZipkinFormatException when the body is not a {@code zipkin.proto3.ListOfSpans}
   */
  public static ParsedRequest proto3(byte[] body) throws ZipkinFormatException {
    try {
      return new ParsedRequest(
          ZipkinSpanMapper.toRequest(ZipkinProto3Decoder.decode(body)), 0, false);
    } catch (InvalidProtocolBufferException e) {
      throw new ZipkinFormatException(e.getMessage(), e);
    }
  }

  private static List<ZipkinSpan> readJson(byte[] body) throws ZipkinFormatException {
    try {
      return ZipkinJsonDecoder.decode(body);
    } catch (IOException e) {
      throw malformedJson(e);
    }
  }

  private static List<ZipkinSpan> readJson(String body) throws ZipkinFormatException {
    try {
      return ZipkinJsonDecoder.decode(body);
    } catch (IOException e) {
      throw malformedJson(e);
    }
  }

  private static ZipkinFormatException malformedJson(IOException e) {
    if (e instanceof JsonProcessingException json && json.getLocation() != null) {
      // Jackson's own message also quotes a redacted source; the position is what helps.
      return new ZipkinFormatException(
          json.getOriginalMessage()
              + " at line "
              + json.getLocation().getLineNr()
              + ", column "
              + json.getLocation().getColumnNr(),
          e);
    }
    return new ZipkinFormatException(e.getMessage(), e);
  }
}
