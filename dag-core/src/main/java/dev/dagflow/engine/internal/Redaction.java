package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.policy.SecretKeys;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's config leaves the engine to be shown or recorded, its secret values are
 * redacted here; what executors get is never redacted.
 */
final class Redaction {
  private Redaction() {
  }

  /** {@code spec} with the secrets of every node's config redacted; itself if it has none. */
  static DagSpec spec(DagSpec spec, SecretKeys keys) {
    List<NodeSpec> nodes = null;
    for (int v = 0; v < spec.size(); v++) {
      NodeSpec node = spec.nodes().get(v);
      if (!node.hasConfig()) {
        continue;
      }
      ObjectNode config = node.config();
      if (!keys.holdsSecrets(config)) {
        continue;
      }
      if (nodes == null) {
        nodes = new ArrayList<>(spec.nodes());
      }
      nodes.set(v, node.toBuilder().config(keys.redact(config)).build());
    }
    if (nodes == null) {
      return spec;
    }
    DagSpec.Builder b = DagSpec.builder(spec.id()).name(spec.name())
        .specVersion(spec.specVersion()).scope(spec.scope()).priority(spec.priority())
        .metadata(spec.metadata()).targets(spec.targets()).maxNodes(Math.max(1, spec.size()))
        .nodes(nodes);
    spec.policyName().ifPresent(b::policyName);
    spec.runDeadline().ifPresent(b::runDeadline);
    return b.build();
  }
}
