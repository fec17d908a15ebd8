package dev.dagflow.policy;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.template.DagTemplate;
import java.util.List;
import java.util.Optional;

/**
 * The execution policies of an engine, reached through {@code DagEngine.policies()}: saved by
 * name, at most one default per project and one global default, and resolved per node in the
 * order node &gt; the policy the DAG names &gt; its project's default &gt; the global default
 * &gt; the engine's default. Thread-safe.
 */
public interface PolicyCenter {

  /**
   * Saves {@code policy}, replacing one of the same name. A default policy makes the previous
   * default of its project (or the previous global default) an ordinary policy.
   */
  void save(ExecutionPolicy policy);

  /** The policy named {@code name}; empty if none. */
  Optional<ExecutionPolicy> get(String name);

  /** Every policy, by name. */
  List<ExecutionPolicy> list();

  /** The default policy of {@code project}; empty if it has none. */
  Optional<ExecutionPolicy> projectDefault(String project);

  /** The global default policy; empty if there is none. */
  Optional<ExecutionPolicy> globalDefault();

  /** Deletes the policy named {@code name}; returns whether there was one. */
  boolean delete(String name);

  /**
   * What node {@code nodeId} of a run of {@code spec}, submitted as it is, would use now: the
   * run's project and worker key, and each setting with its source. The project is the spec's
   * project scope, if it has one; see {@link #effective(DagTemplate, String)} for a run of a
   * template.
   *
   * @throws IllegalArgumentException if the spec has no such node
   * @throws UnknownPolicyException if the spec names a policy that does not exist
   */
  EffectivePolicy effective(DagSpec spec, String nodeId);

  /**
   * What node {@code nodeId} of a run of {@code template} (that version, submitted by name)
   * would use now. A project template's runs belong to its project and, unless its spec sets a
   * scope other than global, run in that project's scope ({@code worker-project-{id}}).
   *
   * @throws IllegalArgumentException if the template's spec has no such node
   * @throws UnknownPolicyException if the spec names a policy that does not exist
   */
  EffectivePolicy effective(DagTemplate template, String nodeId);
}
