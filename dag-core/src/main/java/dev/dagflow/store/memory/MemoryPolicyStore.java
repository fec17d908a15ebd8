package dev.dagflow.store.memory;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.store.PolicyStore;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The in-memory {@link PolicyStore}. Thread-safe: writes are serialised and replace an
 * immutable snapshot of every policy, which readers take without a lock, so a reader never
 * sees two defaults of one project.
 */
final class MemoryPolicyStore implements PolicyStore {
  private final Object writeLock = new Object();
  private volatile Map<String, ExecutionPolicy> byName = Map.of();

  @Override
  public void save(ExecutionPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    synchronized (writeLock) {
      TreeMap<String, ExecutionPolicy> next = new TreeMap<>(byName);
      if (policy.isProjectDefault()) {
        for (ExecutionPolicy other : byName.values()) {
          if (other.isProjectDefault() && other.project().equals(policy.project())
              && !other.name().equals(policy.name())) {
            next.put(other.name(), other.toBuilder().projectDefault(false).build());
          }
        }
      }
      next.put(policy.name(), policy);
      byName = Collections.unmodifiableMap(next);
    }
  }

  @Override
  public Optional<ExecutionPolicy> get(String name) {
    return Optional.ofNullable(byName.get(Objects.requireNonNull(name, "name")));
  }

  @Override
  public Optional<ExecutionPolicy> defaultFor(Optional<String> project) {
    Objects.requireNonNull(project, "project");
    return byName.values().stream()
        .filter(p -> p.isProjectDefault() && p.project().equals(project))
        .findFirst();
  }

  @Override
  public List<ExecutionPolicy> list() {
    return List.copyOf(byName.values());
  }

  @Override
  public boolean delete(String name) {
    Objects.requireNonNull(name, "name");
    synchronized (writeLock) {
      if (!byName.containsKey(name)) {
        return false;
      }
      TreeMap<String, ExecutionPolicy> next = new TreeMap<>(byName);
      next.remove(name);
      byName = Collections.unmodifiableMap(next);
      return true;
    }
  }

  @Override
  public String toString() {
    return "MemoryPolicyStore{policies=" + byName.size() + "}";
  }
}
