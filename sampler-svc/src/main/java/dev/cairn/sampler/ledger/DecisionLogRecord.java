package dev.cairn.sampler.ledger;

import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.SamplingDecision;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of the decision log: the traces of one input partition whose records up to {@code upTo}
 * (exclusive) one commit of the sampler handled, with the decision each followed. Written in the
 * same Kafka transaction as that commit's output and offsets, so a later owner of the partition
 * (after a crash or a rebalance) skips exactly those records when it replays from the committed
 * offset, and lets later spans of those traces follow the same decisions.
 *
 * <p>Binary layout (version 1): version byte, topic (UTF), partition (int), upTo (long), the
 * distinct decisions (count, then keep, retention ordinal, probability, reason), the traces (count,
 * then the two longs of the id and the decision's index).
 */
public record DecisionLogRecord(
    String topic, int partition, long upTo, Map<TraceId, SamplingDecision> decisions) {

  private static final byte VERSION = 1;

  public DecisionLogRecord {
    decisions = Map.copyOf(decisions);
  }

  /** The record's key: its partition, so that one partition's entries stay in order. */
  public byte[] key() {
    return Integer.toString(partition).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  public byte[] encode() {
    Map<SamplingDecision, Integer> index = new LinkedHashMap<>();
    decisions.values().forEach(decision -> index.putIfAbsent(decision, index.size()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 20 * decisions.size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(topic);
      out.writeInt(partition);
      out.writeLong(upTo);
      out.writeInt(index.size());
      for (SamplingDecision decision : index.keySet()) {
        out.writeBoolean(decision.keep());
        out.writeByte(decision.retention().ordinal());
        out.writeDouble(decision.probability());
        out.writeUTF(decision.reason());
      }
      out.writeInt(decisions.size());
      for (Map.Entry<TraceId, SamplingDecision> entry : decisions.entrySet()) {
        out.writeLong(entry.getKey().high());
        out.writeLong(entry.getKey().low());
        out.writeInt(index.get(entry.getValue()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a decision log record of this version
   */
  public static DecisionLogRecord decode(byte[] value) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown decision log version " + version);
      }
      String topic = in.readUTF();
      int partition = in.readInt();
      long upTo = in.readLong();
      int distinct = in.readInt();
      List<SamplingDecision> table = new ArrayList<>(distinct);
      for (int i = 0; i < distinct; i++) {
        boolean keep = in.readBoolean();
        RetentionClass retention = RetentionClass.values()[in.readByte()];
        double probability = in.readDouble();
        table.add(new SamplingDecision(keep, in.readUTF(), retention, probability));
      }
      int count = in.readInt();
      Map<TraceId, SamplingDecision> decisions = new HashMap<>(2 * count);
      for (int i = 0; i < count; i++) {
        decisions.put(new TraceId(in.readLong(), in.readLong()), table.get(in.readInt()));
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("trailing bytes after a decision log record");
      }
      return new DecisionLogRecord(topic, partition, upTo, decisions);
    } catch (IOException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a decision log record", e);
    }
  }
}
