package dev.cairn.collector.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BoundedGzipTest {

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void decompressesWithinTheLimit() throws IOException {
    byte[] data = "hello, cairn".repeat(100).getBytes(StandardCharsets.UTF_8);

    assertThat(BoundedGzip.decompress(gzip(data), data.length)).isEqualTo(data);
  }

  @Test
  void stopsAZipBombAtTheLimit() throws IOException {
    byte[] bomb = gzip(new byte[16 * 1024 * 1024]); // ~16 KiB on the wire

    assertThat(bomb.length).isLessThan(64 * 1024);
    assertThatThrownBy(() -> BoundedGzip.decompress(bomb, 1024 * 1024))
        .isInstanceOf(BoundedGzip.BodyTooLargeException.class)
        .hasMessageContaining("1048576");
  }

  @Test
  void rejectsABodyThatIsNotGzip() {
    assertThatThrownBy(() -> BoundedGzip.decompress("plain".getBytes(StandardCharsets.UTF_8), 100))
        .isInstanceOf(IOException.class);
  }
}
