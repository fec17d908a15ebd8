package dev.dagflow.store;

import dev.dagflow.store.memory.MemoryStores;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The set of stores an engine writes through: runs, logs, policies, templates, triggers and
 * schedules. The
 * entry point to the stores of dag-core: {@link #inMemory()} gives the default in-memory ones,
 * and other modules (JDBC) hand out their own through {@link #of}.
 *
 * <p>Immutable and thread-safe; the stores it holds are thread-safe as their SPIs require. No
 * accessor returns {@code null}.
 */
public final class Stores {
  private final RunStore runs;
  private final LogStore logs;
  private final PolicyStore policies;
  private final TemplateStore templates;
  private final TriggerStore triggers;
  private final ScheduleStore schedules;

  private Stores(RunStore runs, LogStore logs, PolicyStore policies, TemplateStore templates,
      TriggerStore triggers, ScheduleStore schedules) {
    this.runs = Objects.requireNonNull(runs, "runs");
    this.logs = Objects.requireNonNull(logs, "logs");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.templates = Objects.requireNonNull(templates, "templates");
    this.triggers = Objects.requireNonNull(triggers, "triggers");
    this.schedules = Objects.requireNonNull(schedules, "schedules");
  }

  /**
   * A fresh, empty set of in-memory stores, shared with no other call. They keep everything on
   * the heap until the JVM ends; the run store keeps a run's per-node data packed in arrays.
   */
  public static Stores inMemory() {
    return inMemory(InstantSource.system());
  }

  /**
   * Like {@link #inMemory()}, with leases that expire on {@code clock}: the store's clock,
   * which several engines sharing the stores agree on, and which dates processed event ids.
   * Tests of takeover move it by hand.
   */
  public static Stores inMemory(InstantSource clock) {
    return new Stores(MemoryStores.runStore(clock), MemoryStores.logStore(),
        MemoryStores.policyStore(), MemoryStores.templateStore(),
        MemoryStores.triggerStore(clock), MemoryStores.scheduleStore());
  }

  /**
   * The given stores as one set, with a fresh in-memory schedule store: for a host (or a test)
   * that uses no schedules, or none shared with other engines.
   *
   * @throws NullPointerException if any is {@code null}
   */
  public static Stores of(RunStore runs, LogStore logs, PolicyStore policies,
      TemplateStore templates, TriggerStore triggers) {
    return new Stores(runs, logs, policies, templates, triggers, MemoryStores.scheduleStore());
  }

  /**
   * The given stores as one set.
   *
   * @throws NullPointerException if any is {@code null}
   */
  public static Stores of(RunStore runs, LogStore logs, PolicyStore policies,
      TemplateStore templates, TriggerStore triggers, ScheduleStore schedules) {
    return new Stores(runs, logs, policies, templates, triggers, schedules);
  }


  public RunStore runs() {
    return runs;
  }

  public LogStore logs() {
    return logs;
  }

  public PolicyStore policies() {
    return policies;
  }

  public TemplateStore templates() {
    return templates;
  }

  public TriggerStore triggers() {
    return triggers;
  }

  public ScheduleStore schedules() {
    return schedules;
  }

  @Override
  public String toString() {
    return "Stores{runs=" + runs + ", logs=" + logs + ", policies=" + policies + ", templates="
        + templates + ", triggers=" + triggers + ", schedules=" + schedules + "}";
  }
}
