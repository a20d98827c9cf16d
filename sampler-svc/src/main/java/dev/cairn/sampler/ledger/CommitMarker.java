package dev.cairn.sampler.ledger;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metadata the sampler commits with each partition's offset: where in the decision log the
 * entries start that the next owner must read to replay from that offset (see {@link
 * PartitionLedger}); none when no record at or after the offset was handled yet.
 */
public final class CommitMarker {

  private static final String PREFIX = "cairn-sampler/1";
  private static final Pattern POINTER =
      Pattern.compile(Pattern.quote(PREFIX) + " log=(\\d+)@(\\d+)");

  /** A position in the decision log: partition and offset. */
  public record LogPointer(int logPartition, long offset) {}

  private CommitMarker() {}

  public static String format(int logPartition, OptionalLong offset) {
    return offset.isPresent() ? PREFIX + " log=" + logPartition + "@" + offset.getAsLong() : PREFIX;
  }

  /** The pointer in committed metadata; empty for none, for no metadata or for another format. */
  public static Optional<LogPointer> parse(String metadata) {
    if (metadata == null) {
      return Optional.empty();
    }
    Matcher matcher = POINTER.matcher(metadata);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new LogPointer(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2))));
  }
}
