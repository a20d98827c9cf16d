package dev.cairn.query.trace;

import dev.cairn.store.TracePage;
import java.util.List;

/**
 * One page of search results and the federated regions that did not answer in time (their traces
 * may be missing from the page); {@code missingRegions} is empty without federation.
 */
public record SearchResult(TracePage page, List<String> missingRegions) {

  public SearchResult {
    missingRegions = List.copyOf(missingRegions);
  }

  public static SearchResult local(TracePage page) {
    return new SearchResult(page, List.of());
  }
}
