package dev.cairn.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An AdmissionReview's answer: the pod is always allowed (tracing fails open), with the agent's
 * patch when it is to be injected. The reason is returned as a warning only when the pod asked for
 * the agent and does not get it, so {@code kubectl} shows why.
 */
public final class AdmissionAnswer {
  private AdmissionAnswer() {}

  public static AdmissionReview answer(
      AdmissionReview review,
      JsonNode pod,
      Map<String, String> namespaceLabels,
      Optional<AgentSettings> settings,
      boolean nativeSidecars) {
    Injection injection = AgentInjector.decide(pod, namespaceLabels, settings, nativeSidecars);
    AdmissionResponseBuilder response =
        new AdmissionResponseBuilder().withUid(review.getRequest().getUid()).withAllowed(true);
    injection
        .patch()
        .ifPresent(
            patch ->
                response
                    .withPatchType("JSONPatch")
                    .withPatch(
                        Base64.getEncoder()
                            .encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8))));
    if (injection.reason().equals(Injection.NO_CLUSTER)) {
      response.withWarnings(List.of("cairn: agent not injected: " + injection.reason()));
    }
    return answer(review, response.build());
  }

  /** Allowed unchanged: for a request the webhook cannot read. */
  public static AdmissionReview allow(AdmissionReview review, String warning) {
    return answer(
        review,
        new AdmissionResponseBuilder()
            .withUid(review.getRequest().getUid())
            .withAllowed(true)
            .withWarnings(List.of("cairn: " + warning))
            .build());
  }

  private static AdmissionReview answer(AdmissionReview review, AdmissionResponse response) {
    return new AdmissionReviewBuilder()
        .withApiVersion(review.getApiVersion())
        .withKind(review.getKind())
        .withResponse(response)
        .build();
  }
}
