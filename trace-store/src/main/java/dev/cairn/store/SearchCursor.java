package dev.cairn.store;

import dev.cairn.model.TraceId;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Where the previous page of a search ended: results are ordered by trace start time descending,
 * then trace id descending, so the next page starts strictly after this position. Travels as an
 * opaque URL-safe token.
 */
public record SearchCursor(long startTimeUnixNano, TraceId traceId) {

  public String encode() {
    ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES + TraceId.BYTES);
    buffer.putLong(startTimeUnixNano).put(traceId.toBytes());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
  }

  /**
   * @throws IllegalArgumentException when the token was not made by {@link #encode()}
   */
  public static SearchCursor decode(String token) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed cursor", e);
    }
    if (bytes.length != Long.BYTES + TraceId.BYTES) {
      throw new IllegalArgumentException("malformed cursor");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long start = buffer.getLong();
    byte[] id = new byte[TraceId.BYTES];
    buffer.get(id);
    return new SearchCursor(start, TraceId.fromBytes(id));
  }
}
