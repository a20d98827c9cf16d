package dev.cairn.query.federation;

import java.util.List;
import java.util.function.Function;

/**
 * An answer merged from this region and the peers that answered; {@code missingRegions} names the
 * peers that did not (in configuration order), whose data may be missing from it.
 */
public record FederatedAnswer<T>(T answer, List<String> missingRegions) {

  public FederatedAnswer {
    missingRegions = List.copyOf(missingRegions);
  }

  /** The same answer in another form (say, a transport's), missing the same regions. */
  public <U> FederatedAnswer<U> map(Function<T, U> mapping) {
    return new FederatedAnswer<>(mapping.apply(answer), missingRegions);
  }

  /** An answer every region gave (or this region alone, without federation). */
  public static <T> FederatedAnswer<T> complete(T answer) {
    return new FederatedAnswer<>(answer, List.of());
  }
}
