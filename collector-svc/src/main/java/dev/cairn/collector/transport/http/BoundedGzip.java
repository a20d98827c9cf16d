package dev.cairn.collector.transport.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Gzip decompression that stops at a size limit, so a small body cannot expand without bound. */
final class BoundedGzip {

  private BoundedGzip() {}

  /**
   * @throws BodyTooLargeException when the decompressed body exceeds {@code maxBytes}
   * @throws IOException when the body is not valid gzip
   */
  static byte[] decompress(byte[] body, int maxBytes) throws IOException {
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

  /** The request body, once decompressed, is over the configured limit. */
  static final class BodyTooLargeException extends RuntimeException {
    BodyTooLargeException(String message) {
      super(message);
    }
  }
}
