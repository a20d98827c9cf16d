package dev.cairn.query.federation;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import dev.cairn.store.Operation;
import dev.cairn.store.SearchCursor;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceSpans;
import dev.cairn.store.TraceSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Merges the answers of several regions into one, as if one store held all their data. Pure
 * functions; the parts come in region order (this region first), which decides ties.
 */
public final class FederatedMerge {

  /**
   * The order of search results everywhere (trace-store's {@code SearchSql}): start time
   * descending, then trace id descending, unsigned, as PostgreSQL orders {@code bytea}.
   */
  public static final Comparator<TraceSummary> NEWEST_FIRST =
      Comparator.comparingLong(TraceSummary::startTimeUnixNano)
          .thenComparing(TraceSummary::traceId)
          .reversed();

  /** The order of a trace's spans (trace-store's reader): start time, then span id unsigned. */
  static final Comparator<Span> BY_START =
      Comparator.comparingLong(Span::startTimeUnixNano)
          .thenComparing(Span::spanId, (a, b) -> Long.compareUnsigned(a.value(), b.value()));

  private static final Comparator<Operation> BY_NAME_THEN_KIND =
      Comparator.comparing(Operation::name).thenComparing(o -> o.kind().number());

  private FederatedMerge() {}

  /**
   * One trace from its parts in several regions: the spans of all, each span id once (the first
   * region's copy), in the store's order, at most {@code maxSpans} (the earliest; truncated then).
   * A trace normally lives in one region; one that crossed regions comes back whole. The stored
   * count is the regions' counts summed, less the duplicates seen.
   */
  public static TraceSpans spans(List<TraceSpans> parts, int maxSpans) {
    Map<SpanId, Span> unique = new LinkedHashMap<>();
    boolean truncated = false;
    int stored = 0;
    int late = 0;
    int duplicates = 0;
    for (TraceSpans part : parts) {
      truncated |= part.truncated();
      stored += part.storedSpanCount();
      late += part.lateSpanCount();
      for (Span span : part.spans()) {
        if (unique.putIfAbsent(span.spanId(), span) != null) {
          duplicates++;
        }
      }
    }
    if (unique.isEmpty()) {
      return TraceSpans.ABSENT;
    }
    List<Span> sorted = new ArrayList<>(unique.values());
    sorted.sort(BY_START);
    boolean cut = sorted.size() > maxSpans;
    List<Span> kept = cut ? sorted.subList(0, maxSpans) : sorted;
    return new TraceSpans(
        kept, truncated || cut, Math.max(stored - duplicates, sorted.size()), late);
  }

  /**
   * Several traces from each region's list of them (the same ids, in the same order): trace by
   * trace as {@link #spans}.
   */
  public static List<TraceSpans> traces(List<List<TraceSpans>> parts, int traces, int maxSpans) {
    List<TraceSpans> merged = new ArrayList<>(traces);
    for (int i = 0; i < traces; i++) {
      int trace = i;
      merged.add(spans(parts.stream().map(part -> part.get(trace)).toList(), maxSpans));
    }
    return merged;
  }

  /**
   * One search page from the regions' pages for the same query (same filters, limit and cursor). A
   * trace found in several regions becomes one summary ({@link #summary}). The order is the store's
   * ({@link #NEWEST_FIRST}), which is global, so the next cursor is simply the last result's key:
   * every region continues strictly after it.
   *
   * <p>A region whose page is full may have unseen results just after its last one, so only results
   * at or before the newest such last result can be placed in order; the page stops there, at most
   * {@code limit} results, and the cursor continues from its end. (The region with that newest last
   * result alone fills the page, so pages are short only when merging a trace's parts moved it
   * later.)
   */
  public static TracePage pages(List<TracePage> pages, int limit) {
    Map<TraceId, List<TraceSummary>> byTrace = new LinkedHashMap<>();
    Optional<SearchCursor> horizon = Optional.empty();
    for (TracePage page : pages) {
      for (TraceSummary summary : page.traces()) {
        byTrace.computeIfAbsent(summary.traceId(), id -> new ArrayList<>()).add(summary);
      }
      if (page.next().isPresent()
          && (horizon.isEmpty() || compare(page.next().get(), horizon.get()) > 0)) {
        horizon = page.next();
      }
    }
    List<TraceSummary> merged =
        byTrace.values().stream().map(FederatedMerge::summary).sorted(NEWEST_FIRST).toList();
    List<TraceSummary> taken = new ArrayList<>(Math.min(limit, merged.size()));
    for (TraceSummary summary : merged) {
      if (taken.size() == limit
          || horizon.isPresent() && compare(cursorAt(summary), horizon.get()) < 0) {
        break;
      }
      taken.add(summary);
    }
    boolean more = horizon.isPresent() || taken.size() < merged.size();
    if (!more) {
      return new TracePage(taken, Optional.empty());
    }
    return new TracePage(
        taken,
        Optional.of(taken.isEmpty() ? horizon.get() : cursorAt(taken.get(taken.size() - 1))));
  }

  /**
   * One trace's summaries from several regions as one: the earliest start and latest end, counts
   * summed, services united, the root from the part that starts first (ties: the first region).
   */
  public static TraceSummary summary(List<TraceSummary> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    TraceSummary first = parts.get(0);
    long end = Long.MIN_VALUE;
    int spans = 0;
    int errors = 0;
    TreeSet<String> services = new TreeSet<>();
    for (TraceSummary part : parts) {
      if (part.startTimeUnixNano() < first.startTimeUnixNano()) {
        first = part;
      }
      end = Math.max(end, part.endTimeUnixNano());
      spans += part.spanCount();
      errors += part.errorCount();
      services.addAll(part.services());
    }
    return new TraceSummary(
        first.traceId(),
        first.startTimeUnixNano(),
        end,
        first.rootServiceName(),
        first.rootSpanName(),
        spans,
        errors,
        List.copyOf(services));
  }

  /** The service names of every region, sorted, each once. */
  public static List<String> services(List<List<String>> parts) {
    TreeSet<String> names = new TreeSet<>();
    parts.forEach(names::addAll);
    return List.copyOf(names);
  }

  /** The operations of every region, sorted by name then kind, each once. */
  public static List<Operation> operations(List<List<Operation>> parts) {
    TreeSet<Operation> operations = new TreeSet<>(BY_NAME_THEN_KIND);
    parts.forEach(operations::addAll);
    return List.copyOf(operations);
  }

  /** The cursor that continues strictly after this result. */
  static SearchCursor cursorAt(TraceSummary summary) {
    return new SearchCursor(summary.startTimeUnixNano(), summary.traceId());
  }

  /** Positive when {@code a} comes first in {@link #NEWEST_FIRST} order (is newer). */
  private static int compare(SearchCursor a, SearchCursor b) {
    int byStart = Long.compare(a.startTimeUnixNano(), b.startTimeUnixNano());
    return byStart != 0 ? byStart : a.traceId().compareTo(b.traceId());
  }
}
