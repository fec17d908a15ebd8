package dev.dagflow.store;

import dev.dagflow.policy.ExecutionPolicy;
import java.util.List;
import java.util.Optional;

/**
 * SPI: where execution policies live, by name. At most one policy per project (and one among
 * the global ones) is the default: saving a default policy makes the previous default of its
 * project an ordinary one. Implementations are thread-safe.
 */
public interface PolicyStore {

  /** Saves {@code policy}, replacing one of the same name. */
  void save(ExecutionPolicy policy);

  /** The policy named {@code name}; empty if none. */
  Optional<ExecutionPolicy> get(String name);

  /** The default policy of {@code project}, or the global default for an empty project. */
  Optional<ExecutionPolicy> defaultFor(Optional<String> project);

  /** Every policy, by name. */
  List<ExecutionPolicy> list();

  /** Deletes the policy named {@code name}; returns whether there was one. */
  boolean delete(String name);
}
