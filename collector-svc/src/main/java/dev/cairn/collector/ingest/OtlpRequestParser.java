package dev.cairn.collector.ingest;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.otlp.OtlpJsonException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the body of an OTLP export request, protobuf or OTLP JSON, for every transport.
 *
 * <p>Invalid UTF-8 in a string field must not lose a request's valid spans, yet both parsers refuse
 * the whole body for it: protobuf-java verifies UTF-8 in proto3 {@code string} fields ("Protocol
 * message had invalid UTF-8."), Jackson in all JSON text. Only when parsing fails, the body is
 * repaired (each invalid sequence replaced with U+FFFD, as {@code new String(bytes, UTF_8)} does,
 * and counted) and parsed again. For protobuf, the repair walks the wire format guided by the OTLP
 * message descriptors and rewrites only the string fields that need it; every other byte is shared
 * with the body (a rope), so the repaired message is parsed as strictly as the original. A body
 * that is malformed for any other reason fails with the parser's own error.
 */
public final class OtlpRequestParser {

  /** protobuf-java's default recursion limit, which the second parse enforces anyway. */
  private static final int MAX_DEPTH = 100;

  private OtlpRequestParser() {}

  /**
   * @throws InvalidProtocolBufferException when the body is not an {@code
   *     ExportTraceServiceRequest} even with its invalid UTF-8 replaced
   */
  public static ParsedRequest protobuf(byte[] body) throws InvalidProtocolBufferException {
    try {
      return new ParsedRequest(ExportTraceServiceRequest.parseFrom(body), 0, false);
    } catch (InvalidProtocolBufferException malformed) {
      long[] replaced = {0};
      ByteString repaired;
      try {
        CodedInputStream in = CodedInputStream.newInstance(body);
        in.enableAliasing(true);
        repaired = repair(in, body, ExportTraceServiceRequest.getDescriptor(), 0, replaced);
      } catch (IOException alsoMalformed) {
        throw malformed;
      }
      if (repaired == null) {
        throw malformed; // every string was valid UTF-8: the body is broken otherwise
      }
      return new ParsedRequest(ExportTraceServiceRequest.parseFrom(repaired), replaced[0], false);
    }
  }

  /**
   * @throws OtlpJsonException when the body is not OTLP JSON even with its invalid UTF-8 replaced
   */
  public static ParsedRequest json(byte[] body) {
    try {
      return new ParsedRequest(OtlpJson.parseExportRequest(body), 0, true);
    } catch (OtlpJsonException malformed) {
      ByteString bytes = UnsafeByteOperations.unsafeWrap(body);
      if (bytes.isValidUtf8()) {
        throw malformed;
      }
      long[] replaced = {0};
      byte[] repaired = StringRepair.decodeUtf8(bytes, replaced).getBytes(StandardCharsets.UTF_8);
      return new ParsedRequest(OtlpJson.parseExportRequest(repaired), replaced[0], true);
    }
  }

  /**
   * The message of {@code type} from {@code in} (up to its current limit) with the invalid UTF-8 of
   * its string fields, nested ones included, replaced; null when it had none.
   */
  private static ByteString repair(
      CodedInputStream in, byte[] body, Descriptor type, int depth, long[] replaced)
      throws IOException {
    if (depth > MAX_DEPTH) {
      throw new InvalidProtocolBufferException("message nested more than " + MAX_DEPTH + " deep");
    }
    ByteString out = null;
    int unchangedFrom = in.getTotalBytesRead();
    while (true) {
      int fieldStart = in.getTotalBytesRead();
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
      boolean lengthDelimited =
          WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      ByteString replacement = null;
      if (field != null && lengthDelimited && field.getType() == FieldDescriptor.Type.STRING) {
        ByteString value = in.readBytes();
        if (!value.isValidUtf8()) {
          replacement = ByteString.copyFromUtf8(StringRepair.decodeUtf8(value, replaced));
        }
      } else if (field != null
          && lengthDelimited
          && field.getType() == FieldDescriptor.Type.MESSAGE) {
        int outerLimit = in.pushLimit(in.readRawVarint32());
        replacement = repair(in, body, field.getMessageType(), depth + 1, replaced);
        in.popLimit(outerLimit);
      } else if (!in.skipField(tag)) {
        // An end-group tag here would end the walk early and silently drop what follows.
        throw new InvalidProtocolBufferException("unexpected end-group tag");
      }
      if (replacement != null) {
        ByteString before = wrap(body, unchangedFrom, fieldStart);
        out =
            (out == null ? before : out.concat(before))
                .concat(lengthDelimitedHeader(tag, replacement.size()))
                .concat(replacement);
        unchangedFrom = in.getTotalBytesRead();
      }
    }
    return out == null ? null : out.concat(wrap(body, unchangedFrom, in.getTotalBytesRead()));
  }

  private static ByteString wrap(byte[] body, int from, int to) {
    return UnsafeByteOperations.unsafeWrap(body, from, to - from);
  }

  private static ByteString lengthDelimitedHeader(int tag, int length) throws IOException {
    byte[] header =
        new byte
            [CodedOutputStream.computeUInt32SizeNoTag(tag)
                + CodedOutputStream.computeUInt32SizeNoTag(length)];
    CodedOutputStream out = CodedOutputStream.newInstance(header);
    out.writeUInt32NoTag(tag);
    out.writeUInt32NoTag(length);
    out.checkNoSpaceLeft();
    return UnsafeByteOperations.unsafeWrap(header);
  }
}
