package dev.dagflow.store.memory;

import dev.dagflow.store.LogStore;
import dev.dagflow.store.PolicyStore;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.ScheduleStore;
import dev.dagflow.store.TemplateStore;
import dev.dagflow.store.TriggerStore;
import java.time.InstantSource;

/**
 * Factories of the in-memory stores, for {@link dev.dagflow.store.Stores#inMemory()}, which is
 * what callers should use. Each call returns a new, empty, thread-safe store.
 */
public final class MemoryStores {
  private MemoryStores() {}

  /** A run store whose leases expire on {@code clock}. */
  public static RunStore runStore(InstantSource clock) {
    return new MemoryRunStore(clock);
  }

  public static LogStore logStore() {
    return new MemoryLogStore();
  }

  public static PolicyStore policyStore() {
    return new MemoryPolicyStore();
  }

  public static TemplateStore templateStore() {
    return new MemoryTemplateStore();
  }

  public static TriggerStore triggerStore() {
    return triggerStore(InstantSource.system());
  }

  /** A trigger store that dates processed event ids on {@code clock}. */
  public static TriggerStore triggerStore(InstantSource clock) {
    return new MemoryTriggerStore(clock);
  }

  public static ScheduleStore scheduleStore() {
    return new MemoryScheduleStore();
  }
}
