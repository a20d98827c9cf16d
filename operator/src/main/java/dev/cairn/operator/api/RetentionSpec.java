package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Days each retention tier is kept. */
@ValidationRule(
    value =
        "!has(self.standardDays) || !has(self.extendedDays) || self.extendedDays >= self.standardDays",
    message = "extendedDays must be at least standardDays")
public record RetentionSpec(
    @Min(1)
        @Max(Defaults.MAX_RETENTION_DAYS)
        @JsonPropertyDescription("Ordinary traces (default 7).")
        Integer standardDays,
    @Min(1)
        @Max(Defaults.MAX_RETENTION_DAYS)
        @JsonPropertyDescription("Traces with errors or that are slow (default 30).")
        Integer extendedDays,
    @Min(1)
        @Max(Defaults.MAX_RETENTION_DAYS)
        @JsonPropertyDescription("Span metrics and service edges (default 90).")
        Integer aggregatesDays) {}
