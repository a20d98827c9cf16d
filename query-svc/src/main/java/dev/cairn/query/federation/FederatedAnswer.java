package dev.cairn.query.federation;

import java.util.List;

/**
 * An answer merged from this region and the peers that answered; {@code missingRegions} names the
 * peers that did not (in configuration order), whose data may be missing from it.
 */
public record FederatedAnswer<T>(T answer, List<String> missingRegions) {

  public FederatedAnswer {
    missingRegions = List.copyOf(missingRegions);
  }

  /** An answer every region gave (or this region alone, without federation). */
  public static <T> FederatedAnswer<T> complete(T answer) {
    return new FederatedAnswer<>(answer, List.of());
  }
}
