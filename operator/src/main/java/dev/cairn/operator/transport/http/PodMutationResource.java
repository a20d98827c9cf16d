package dev.cairn.operator.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.webhook.AdmissionAnswer;
import dev.cairn.operator.webhook.AgentCoverage;
import dev.cairn.operator.webhook.AgentSettings;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The mutating admission webhook for pods ({@code k8s/webhook.yaml}): reads what the decision needs
 * from the API server and answers with {@link AdmissionAnswer}. Every answer allows the pod; when
 * the API server cannot be read, the pod is allowed unchanged with a warning.
 */
@Path("/mutate/pods")
public class PodMutationResource {
  private static final Logger LOG = Logger.getLogger(PodMutationResource.class);

  private final KubernetesClient client;
  private final NativeSidecars nativeSidecars;

  PodMutationResource(KubernetesClient client, NativeSidecars nativeSidecars) {
    this.client = client;
    this.nativeSidecars = nativeSidecars;
  }

  @POST
  @Blocking
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public AdmissionReview mutate(JsonNode body) {
    AdmissionReview review =
        new AdmissionReviewBuilder()
            .withApiVersion(body.path("apiVersion").asText("admission.k8s.io/v1"))
            .withKind(body.path("kind").asText("AdmissionReview"))
            .withNewRequest()
            .withUid(body.at("/request/uid").asText())
            .endRequest()
            .build();
    String namespace = body.at("/request/namespace").asText();
    try {
      return AdmissionAnswer.answer(
          review,
          body.at("/request/object"),
          namespaceLabels(namespace),
          settingsFor(namespace),
          nativeSidecars.supported());
    } catch (KubernetesClientException | IllegalArgumentException e) {
      LOG.warnf(e, "pod admission in %s answered without injection", namespace);
      return AdmissionAnswer.allow(review, "agent not injected: " + e.getMessage());
    }
  }

  private Map<String, String> namespaceLabels(String namespace) {
    Namespace ns = client.namespaces().withName(namespace).get();
    return ns == null || ns.getMetadata().getLabels() == null
        ? Map.of()
        : ns.getMetadata().getLabels();
  }

  /** What the cluster serving the namespace injects, if one does. */
  private Optional<AgentSettings> settingsFor(String namespace) {
    return AgentCoverage.servingCluster(
            client.resources(TracingCluster.class).inAnyNamespace().list().getItems(), namespace)
        .map(AgentSettings::of);
  }
}
