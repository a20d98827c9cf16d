package dev.cairn.sampler.assembly;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.cairn.model.wire.MalformedRecordException;
import java.io.IOException;

/**
 * What assembly needs of a record value (an OTLP {@code TracesData}) without parsing it into
 * objects: how many spans it holds and whether one of them is a root (no parent span id). Walks the
 * protobuf framing only (TracesData.resource_spans → ResourceSpans.scope_spans → ScopeSpans.spans →
 * Span.parent_span_id) and skips everything else, so the record is parsed for real once, when its
 * trace is decided. A value whose framing is broken is refused here.
 */
public final class WireScan {

  private static final int RESOURCE_SPANS = 1;
  private static final int SCOPE_SPANS = 2;
  private static final int SPANS = 2;
  private static final int PARENT_SPAN_ID = 4;

  /** Spans in the record, and whether one has no parent. */
  public record Result(int spans, boolean hasRoot) {}

  private int spans;
  private boolean hasRoot;

  private WireScan() {}

  /**
   * @throws MalformedRecordException when the value is not protobuf framed as TracesData
   */
  public static Result scan(byte[] value) {
    WireScan scan = new WireScan();
    try {
      CodedInputStream in = CodedInputStream.newInstance(value);
      scan.messages(in, RESOURCE_SPANS, scan::resourceSpans);
    } catch (IOException | RuntimeException e) {
      throw new MalformedRecordException("record value is not an OTLP TracesData message", e);
    }
    return new Result(scan.spans, scan.hasRoot);
  }

  @FunctionalInterface
  private interface Body {
    void read(CodedInputStream in) throws IOException;
  }

  /** Reads every field of the current message, handing the length-delimited {@code field}s on. */
  private void messages(CodedInputStream in, int field, Body body) throws IOException {
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return;
      }
      if (WireFormat.getTagFieldNumber(tag) == field
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        body.read(in);
        in.checkLastTagWas(0);
        in.popLimit(limit);
      } else if (!in.skipField(tag)) {
        return;
      }
    }
  }

  private void resourceSpans(CodedInputStream in) throws IOException {
    messages(in, SCOPE_SPANS, this::scopeSpans);
  }

  private void scopeSpans(CodedInputStream in) throws IOException {
    messages(in, SPANS, this::span);
  }

  private void span(CodedInputStream in) throws IOException {
    spans++;
    boolean hasParent = false;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      if (WireFormat.getTagFieldNumber(tag) == PARENT_SPAN_ID
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int length = in.readRawVarint32();
        hasParent |= length > 0;
        in.skipRawBytes(length);
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    hasRoot |= !hasParent;
  }
}
