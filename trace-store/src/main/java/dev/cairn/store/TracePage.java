package dev.cairn.store;

import java.util.List;
import java.util.Optional;

/** One page of search results; {@code next} is present when more results may follow. */
public record TracePage(List<TraceSummary> traces, Optional<SearchCursor> next) {
  public TracePage {
    traces = List.copyOf(traces);
  }
}
