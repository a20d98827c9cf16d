package dev.cairn.operator.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicReconcilerTest {

  /**
   * Kafka clusters by bootstrap address, topic to partitions; "down" clusters refuse every call.
   */
  static final class FakeAdmin implements TopicAdmin {
    final Map<String, Map<String, Integer>> clusters = new HashMap<>();
    final List<String> down = new ArrayList<>();

    @Override
    public Map<String, Integer> partitions(String bootstrap, Collection<String> names) {
      check(bootstrap);
      Map<String, Integer> found = new HashMap<>();
      names.forEach(
          n -> {
            Integer p = clusters.getOrDefault(bootstrap, Map.of()).get(n);
            if (p != null) {
              found.put(n, p);
            }
          });
      return found;
    }

    @Override
    public void create(String bootstrap, List<DesiredTopic> topics) {
      check(bootstrap);
      topics.forEach(
          t ->
              clusters
                  .computeIfAbsent(bootstrap, k -> new HashMap<>())
                  .put(t.name(), t.partitions()));
    }

    @Override
    public void grow(String bootstrap, Map<String, Integer> partitions) {
      check(bootstrap);
      clusters.get(bootstrap).putAll(partitions);
    }

    private void check(String bootstrap) {
      if (down.contains(bootstrap)) {
        throw new TopicAdminException("no answer within 2s", null);
      }
    }
  }

  static DesiredTopic topic(String bootstrap, String name, int partitions) {
    return new DesiredTopic(bootstrap, name, partitions, (short) 1, Map.of());
  }

  @Test
  void createsMissingGrowsFewerAndNeverShrinks() {
    FakeAdmin admin = new FakeAdmin();
    admin.clusters.put("k1", new HashMap<>(Map.of("grown", 2, "more", 12, "same", 6)));

    TopicOutcome outcome =
        new TopicReconciler(admin)
            .reconcile(
                List.of(
                    topic("k1", "missing", 6),
                    topic("k1", "grown", 6),
                    topic("k1", "more", 6),
                    topic("k1", "same", 6)));

    assertThat(admin.clusters.get("k1"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("missing", 6, "grown", 6, "more", 12, "same", 6));
    assertThat(outcome.failure()).isEmpty();
    assertThat(outcome.topics())
        .extracting(t -> t.name() + "=" + t.partitions() + (t.message() == null ? "" : " !"))
        .containsExactly("missing=6", "grown=6", "more=12 !", "same=6");
    assertThat(outcome.topics().get(2).message())
        .isEqualTo("has 12 partitions, more than the spec's 6: topics are never shrunk");
  }

  @Test
  void anUnreachableClusterFailsAloneAndSaysWhich() {
    FakeAdmin admin = new FakeAdmin();
    admin.down.add("k2");

    TopicOutcome outcome =
        new TopicReconciler(admin).reconcile(List.of(topic("k1", "a", 3), topic("k2", "b", 3)));

    assertThat(admin.clusters.get("k1")).containsEntry("a", 3);
    assertThat(outcome.topics()).extracting(t -> t.name()).containsExactly("a");
    assertThat(outcome.failure()).contains("Kafka at k2: no answer within 2s");
  }
}
