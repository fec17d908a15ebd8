package dev.dagflow.engine.internal;

import dev.dagflow.internal.Ids;
import dev.dagflow.policy.EffectivePolicy;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.PolicyCenter;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.store.PolicyStore;
import dev.dagflow.template.DagTemplate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The engine's {@link PolicyCenter}, over its policy store. */
final class Policies implements PolicyCenter {
  private final PolicyStore store;
  private final ExecutionPolicy engineDefault;

  Policies(PolicyStore store, ExecutionPolicy engineDefault) {
    this.store = store;
    this.engineDefault = engineDefault;
  }

  @Override
  public void save(ExecutionPolicy policy) {
    store.save(Objects.requireNonNull(policy, "policy"));
  }

  @Override
  public Optional<ExecutionPolicy> get(String name) {
    return store.get(Objects.requireNonNull(name, "name"));
  }

  @Override
  public List<ExecutionPolicy> list() {
    return store.list();
  }

  @Override
  public Optional<ExecutionPolicy> projectDefault(String project) {
    return store.defaultFor(Optional.of(Ids.check("project", project)));
  }

  @Override
  public Optional<ExecutionPolicy> globalDefault() {
    return store.defaultFor(Optional.empty());
  }

  @Override
  public boolean delete(String name) {
    return store.delete(Objects.requireNonNull(name, "name"));
  }

  @Override
  public EffectivePolicy effective(DagSpec spec, String nodeId) {
    return effective(RunPlacement.ofSpec(Objects.requireNonNull(spec, "spec")), nodeId);
  }

  @Override
  public EffectivePolicy effective(DagTemplate template, String nodeId) {
    return effective(RunPlacement.ofTemplate(Objects.requireNonNull(template, "template")),
        nodeId);
  }

  private EffectivePolicy effective(RunPlacement place, String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    DagSpec spec = place.spec;
    return place.policy(store, engineDefault).effective(spec.node(nodeId).orElseThrow(
        () -> new IllegalArgumentException("DAG '" + spec.id() + "' has no node '" + nodeId
            + "'")), place);
  }
}
