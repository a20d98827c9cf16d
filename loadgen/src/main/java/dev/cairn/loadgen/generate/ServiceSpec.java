package dev.cairn.loadgen.generate;

import java.util.List;

/**
 * A service of the simulated fleet.
 *
 * @param index position in the fleet; a service only calls services with a higher index, so the
 *     call graph has no cycles
 * @param name {@code svc-NNN}
 * @param operations server operations it exposes
 * @param database the operation against its own database, or {@code null} when it has none
 * @param instances its replicas
 */
public record ServiceSpec(
    int index,
    String name,
    List<OperationSpec> operations,
    OperationSpec database,
    List<ServiceInstance> instances) {

  public ServiceSpec {
    operations = List.copyOf(operations);
    instances = List.copyOf(instances);
  }
}
