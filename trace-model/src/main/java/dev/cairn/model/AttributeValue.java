package dev.cairn.model;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** An attribute value with its OTLP type kept, so that spans come back out as they went in. */
public sealed interface AttributeValue {

  record StringValue(String value) implements AttributeValue {}

  record BoolValue(boolean value) implements AttributeValue {}

  record IntValue(long value) implements AttributeValue {}

  record DoubleValue(double value) implements AttributeValue {}

  /** Raw bytes; equality compares content. */
  record BytesValue(byte[] value) implements AttributeValue {
    @Override
    public boolean equals(Object other) {
      return other instanceof BytesValue that && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "BytesValue[" + HexFormat.of().formatHex(value) + "]";
    }
  }

  record ArrayValue(List<AttributeValue> values) implements AttributeValue {
    public ArrayValue {
      values = List.copyOf(values);
    }
  }

  record KeyValueList(List<Attribute> values) implements AttributeValue {
    public KeyValueList {
      values = List.copyOf(values);
    }
  }

  /** OTLP allows an AnyValue with no value set. */
  record Empty() implements AttributeValue {}

  static AttributeValue of(String value) {
    return new StringValue(value);
  }

  static AttributeValue of(long value) {
    return new IntValue(value);
  }

  static AttributeValue of(double value) {
    return new DoubleValue(value);
  }

  static AttributeValue of(boolean value) {
    return new BoolValue(value);
  }
}
