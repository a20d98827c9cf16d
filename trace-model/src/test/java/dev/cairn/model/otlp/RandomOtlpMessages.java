package dev.cairn.model.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;
import java.util.Random;

/**
 * Random OTLP messages built from the protobuf descriptors, so that every field the protos declare
 * (today's and any a future proto version adds) is exercised, with edge values: extreme and
 * negative integers, unsigned values with the top bit set, NaN, infinities and -0.0, strings with
 * control characters, escapes, non-BMP and lone surrogate characters, ids of any length, enum
 * numbers the protos do not define, and message fields set to their empty default.
 */
final class RandomOtlpMessages {

  private static final int[] INTS = {0, 1, -1, 2, 255, Integer.MAX_VALUE, Integer.MIN_VALUE};
  private static final long[] LONGS = {
    0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, (1L << 53) + 1, 1_700_000_000_123_456_789L
  };
  private static final double[] DOUBLES = {
    0.0,
    -0.0,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.MIN_VALUE,
    Double.MAX_VALUE,
    0.1,
    -36.85,
    1e21,
    123456789.0
  };
  private static final String[] STRINGS = {
    "",
    "a",
    "GET /checkout",
    "nul\u0000byte",
    "\u0001\u001f\t\n\r\b\f",
    "q\"uote back\\slash /slash",
    "\u2028\u2029\u007f\u0080",
    "ünïcödé 日本語",
    "emoji \uD83C\uDF89",
    "lone \uD800 high",
    "lone \uDC00 low",
    "</script>&'="
  };
  private static final int[] UNKNOWN_ENUM_NUMBERS = {-1, 7, 99, Integer.MAX_VALUE};

  private final Random random;
  private final boolean everyField;
  private final int maxDepth;

  /**
   * @param everyField set every field of every message down to {@code maxDepth} (one member of each
   *     one-of); otherwise each field is set or not at random
   */
  RandomOtlpMessages(long seed, boolean everyField, int maxDepth) {
    this.random = new Random(seed);
    this.everyField = everyField;
    this.maxDepth = maxDepth;
  }

  TracesData tracesData() {
    TracesData.Builder builder = TracesData.newBuilder();
    fill(builder, 0);
    return builder.build();
  }

  private void fill(Message.Builder builder, int depth) {
    for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
      if (field.getRealContainingOneof() != null) {
        continue; // one member chosen below
      }
      if (!everyField && random.nextInt(3) == 0) {
        continue;
      }
      if (field.isRepeated()) {
        int count = everyField ? 1 + random.nextInt(2) : random.nextInt(3);
        for (int i = 0; i < count; i++) {
          builder.addRepeatedField(field, value(builder, field, depth));
        }
      } else {
        builder.setField(field, value(builder, field, depth));
      }
    }
    for (OneofDescriptor oneof : builder.getDescriptorForType().getRealOneofs()) {
      if (!everyField && random.nextInt(6) == 0) {
        continue; // not set: printed as {}
      }
      List<FieldDescriptor> members = oneof.getFields();
      FieldDescriptor member = members.get(random.nextInt(members.size()));
      builder.setField(member, value(builder, member, depth));
    }
  }

  private Object value(Message.Builder parent, FieldDescriptor field, int depth) {
    return switch (field.getJavaType()) {
      case INT -> random.nextInt(3) == 0 ? random.nextInt() : INTS[random.nextInt(INTS.length)];
      case LONG -> random.nextInt(3) == 0 ? random.nextLong() : LONGS[random.nextInt(LONGS.length)];
      case FLOAT -> (float) DOUBLES[random.nextInt(DOUBLES.length)];
      case DOUBLE ->
          random.nextInt(3) == 0
              ? (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20)
              : DOUBLES[random.nextInt(DOUBLES.length)];
      case BOOLEAN -> random.nextBoolean();
      case STRING -> STRINGS[random.nextInt(STRINGS.length)];
      case BYTE_STRING -> bytes();
      case ENUM ->
          random.nextInt(4) == 0
              ? field
                  .getEnumType()
                  .findValueByNumberCreatingIfUnknown(
                      UNKNOWN_ENUM_NUMBERS[random.nextInt(UNKNOWN_ENUM_NUMBERS.length)])
              : field
                  .getEnumType()
                  .getValues()
                  .get(random.nextInt(field.getEnumType().getValues().size()));
      case MESSAGE -> {
        Message.Builder child = parent.newBuilderForField(field);
        if (depth < maxDepth && (everyField || random.nextInt(8) != 0)) {
          fill(child, depth + 1);
        }
        yield child.build();
      }
    };
  }

  private ByteString bytes() {
    // Mostly id-sized, sometimes empty or of a length no id has.
    int[] sizes = {16, 8, 0, 1, 3, 17, 40};
    byte[] bytes = new byte[sizes[random.nextInt(sizes.length)]];
    random.nextBytes(bytes);
    return ByteString.copyFrom(bytes);
  }
}
