package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Head sampling in the agents and tail sampling in the samplers. */
public record SamplingSpec(
    @Min(0)
        @Max(1)
        @JsonPropertyDescription(
            "Share of traces the agents keep (consistent, by trace id); 1 keeps all.")
        Double headRate,
    @Min(0)
        @Max(1)
        @JsonPropertyDescription("Share of the traces no tail policy matched that are kept.")
        Double baseRate,
    @Pattern(Defaults.DURATION)
        @JsonPropertyDescription(
            "How long a trace waits for more spans after its root was seen, e.g. 10s.")
        String decisionWait,
    @Size(max = Defaults.MAX_POLICIES)
        @JsonPropertyDescription("Tail policies in order; the first that matches decides.")
        List<TailPolicySpec> policies) {}
