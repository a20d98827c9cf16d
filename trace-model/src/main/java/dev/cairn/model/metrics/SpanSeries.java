package dev.cairn.model.metrics;

import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;

/**
 * RED figures of one minute of one (service, operation, span kind, status code): its requests are
 * {@code aggregate.count()}, and they are errors when {@code status} is ERROR.
 *
 * @param minuteUnixNano start of the minute the spans started in ({@link Minutes#of})
 */
public record SpanSeries(
    long minuteUnixNano,
    String service,
    String operation,
    SpanKind kind,
    StatusCode status,
    SeriesAggregate aggregate) {}
