package dev.cairn.store.pg;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary {@code COPY} format (a header, then per row its field count and each
 * field as length and bytes, then a trailer), sent as one {@code COPY ... FROM STDIN (FORMAT
 * binary)}. The server takes the values as they are: no text to parse, no array literal, no hex
 * bytea, and none of {@code ON CONFLICT}'s speculative insertion. A row whose key is stored already
 * fails the whole COPY (SQLState 23505), which the writer answers with its insert that skips or
 * merges such rows. Each field must be of its column's exact type.
 */
final class BinaryCopy {

  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0
  };

  /** PostgreSQL's timestamp epoch, 2000-01-01 UTC, in microseconds since 1970. */
  private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

  private static final int INT4_OID = 23;
  private static final int TEXT_OID = 25;

  private final Out out;

  /**
   * @param expectedBytes a guess of the stream's size, to allocate once in the usual case
   */
  BinaryCopy(int expectedBytes) {
    out = new Out(expectedBytes);
    out.write(SIGNATURE, 0, SIGNATURE.length);
    out.int4(0); // flags
    out.int4(0); // header extension length
  }

  /** Starts a row of {@code fields} fields. */
  BinaryCopy row(int fields) {
    out.int2(fields);
    return this;
  }

  /** A uuid of its two halves, most significant first (a trace id's high and low). */
  BinaryCopy uuid(long high, long low) {
    out.int4(16);
    out.int8(high);
    out.int8(low);
    return this;
  }

  BinaryCopy timestamptz(Instant time) {
    out.int4(8);
    out.int8(
        Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000)
            - POSTGRES_EPOCH_MICROS);
    return this;
  }

  BinaryCopy int8(long value) {
    out.int4(8);
    out.int8(value);
    return this;
  }

  BinaryCopy int4(int value) {
    out.int4(4);
    out.int4(value);
    return this;
  }

  BinaryCopy bool(boolean value) {
    out.int4(1);
    out.write(value ? 1 : 0);
    return this;
  }

  /** Text as UTF-8; PostgreSQL refuses U+0000 in text, which the caller has replaced. */
  BinaryCopy text(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.int4(bytes.length);
    out.write(bytes, 0, bytes.length);
    return this;
  }

  BinaryCopy bytea(byte[] value) {
    out.int4(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  /** A one-dimensional integer[] without nulls; an empty one has no dimension, as PostgreSQL's. */
  BinaryCopy int4Array(int[] values) {
    out.int4(values.length == 0 ? 12 : 20 + values.length * 8);
    arrayHeader(values.length, INT4_OID);
    for (int value : values) {
      out.int4(4);
      out.int4(value);
    }
    return this;
  }

  /** A one-dimensional text[] without nulls, as {@link #text} each. */
  BinaryCopy textArray(List<String> values) {
    byte[][] bytes = new byte[values.size()][];
    int size = values.isEmpty() ? 12 : 20;
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
      size += 4 + bytes[i].length;
    }
    out.int4(size);
    arrayHeader(bytes.length, TEXT_OID);
    for (byte[] element : bytes) {
      out.int4(element.length);
      out.write(element, 0, element.length);
    }
    return this;
  }

  /** Dimensions, null flag and element type; then the dimension's size and lower bound. */
  private void arrayHeader(int length, int elementOid) {
    out.int4(length == 0 ? 0 : 1);
    out.int4(0);
    out.int4(elementOid);
    if (length > 0) {
      out.int4(length);
      out.int4(1);
    }
  }

  /** The whole stream, trailer included (no row may follow). */
  byte[] toByteArray() {
    out.int2(-1);
    return out.toByteArray();
  }

  /**
   * Sends the rows as {@code COPY <target> FROM STDIN (FORMAT binary)}.
   *
   * @param target a table and its column list, fixed names, never input
   * @throws SQLException with SQLState 23505 when a row's key is stored already (none is copied)
   */
  void copyInto(Connection connection, String target) throws SQLException {
    byte[] rows = toByteArray();
    CopyIn copy =
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn("COPY " + target + " FROM STDIN (FORMAT binary)");
    try {
      copy.writeToCopy(rows, 0, rows.length);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /**
   * A byte buffer that grows, with PostgreSQL's big-endian integers (not ByteArrayOutputStream,
   * whose every write takes a lock).
   */
  private static final class Out {
    private byte[] buf;
    private int count;

    Out(int size) {
      buf = new byte[Math.max(64, size)];
    }

    void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    void write(byte[] bytes, int offset, int length) {
      ensure(length);
      System.arraycopy(bytes, offset, buf, count, length);
      count += length;
    }

    void int2(int value) {
      ensure(2);
      buf[count++] = (byte) (value >>> 8);
      buf[count++] = (byte) value;
    }

    void int4(int value) {
      ensure(4);
      buf[count++] = (byte) (value >>> 24);
      buf[count++] = (byte) (value >>> 16);
      buf[count++] = (byte) (value >>> 8);
      buf[count++] = (byte) value;
    }

    void int8(long value) {
      int4((int) (value >>> 32));
      int4((int) value);
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }

    private void ensure(int more) {
      if (count + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
      }
    }
  }
}
