package dev.cairn.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Images of the components: {@code <repository>/<component>:<tag>} unless given in full. */
public record ImagesSpec(
    @JsonPropertyDescription("Repository the default images come from (default cairn).")
        String repository,
    @JsonPropertyDescription("Tag of the default images.") String tag,
    @JsonPropertyDescription("Full image of collector-svc (gateways and, by default, agents).")
        String collector,
    String sampler,
    String storage,
    String query,
    ImagePullPolicy pullPolicy,
    @JsonPropertyDescription("Names of Secrets to pull the images with.")
        List<String> pullSecrets) {}
