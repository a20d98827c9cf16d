package dev.cairn.collector.transport.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Gzip decompression that stops at a size limit, so a small body cannot expand without bound; the
 * one used by every HTTP receiver (OTLP/HTTP, Zipkin).
 */
public final class BoundedGzip {

  private BoundedGzip() {}

  /**
   * The body as sent before its {@code Content-Encoding} (none, {@code identity} or {@code gzip}).
   *
   * @throws UnsupportedEncodingException for any other encoding
   * @throws BodyTooLargeException when the decompressed body exceeds {@code maxBytes}
   * @throws IOException when the body is not valid gzip
   */
  public static byte[] decode(byte[] body, String contentEncoding, int maxBytes)
      throws IOException {
    if (contentEncoding == null
        || contentEncoding.isBlank()
        || contentEncoding.trim().equalsIgnoreCase("identity")) {
      return body;
    }
    if (contentEncoding.trim().equalsIgnoreCase("gzip")) {
      return decompress(body, maxBytes);
    }
    throw new UnsupportedEncodingException("unsupported Content-Encoding: " + contentEncoding);
  }

  /**
   * @throws BodyTooLargeException when the decompressed body exceeds {@code maxBytes}
   * @throws IOException when the body is not valid gzip
   */
  public static byte[] decompress(byte[] body, int maxBytes) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 8192)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream(Math.min(maxBytes, body.length * 4 + 64));
      byte[] buffer = new byte[8192];
      long total = 0;
      int read;
      while ((read = in.read(buffer)) != -1) {
        total += read;
        if (total > maxBytes) {
          throw new BodyTooLargeException(
              "decompressed body exceeds the limit of " + maxBytes + " bytes");
        }
        out.write(buffer, 0, read);
      }
      return out.toByteArray();
    }
  }

  /** A Content-Encoding other than gzip or identity (HTTP 415). */
  public static final class UnsupportedEncodingException extends RuntimeException {
    UnsupportedEncodingException(String message) {
      super(message);
    }
  }

  /** The request body, once decompressed, is over the configured limit. */
  public static final class BodyTooLargeException extends RuntimeException {
    BodyTooLargeException(String message) {
      super(message);
    }
  }
}
