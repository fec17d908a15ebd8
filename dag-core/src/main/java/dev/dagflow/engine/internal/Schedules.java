package dev.dagflow.engine.internal;

import dev.dagflow.DagflowException;
import dev.dagflow.engine.TimeSource;
import dev.dagflow.engine.TimeSource.Cancellable;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.schedule.ScheduleRegistry;
import dev.dagflow.schedule.ScheduleState;
import dev.dagflow.store.ScheduleStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's schedules: the registry over the schedule store, and a timer per enabled schedule
 * for its next fire time, on {@code timer} (the engine's time source, or a thread of its own
 * beside the system clock). At start, and when a schedule is enabled again, the fire times missed
 * since its cursor are judged by its misfire policy ({@link ScheduleFirings#catchUp}). Every
 * engine sharing the store arms the same timers: the run store's unique start key makes one run
 * per fire time. Thread-safe: the firings and arming of one schedule are serialised on its lock.
 */
final class Schedules implements ScheduleRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);

  private final ScheduleStore store;
  private final RunServices services;
  private final Templates templates;
  private final TimeSource timer;
  private final ScheduleFirings firings;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  /** The timer armed per schedule id; guarded by the schedule's lock. */
  private final Map<String, Armed> armed = new ConcurrentHashMap<>();
  private volatile boolean started;

  /** A schedule's armed timer: the definition it was computed from and its fire time. */
  private record Armed(Schedule schedule, Instant at, Cancellable timer) {}

  /**
   * {@code timer} runs the firings and tells the time; {@code stop} stops a run, here or by a
   * command to its owner, as the engine's stop does.
   */
  Schedules(ScheduleStore store, RunServices services, Templates templates, TimeSource timer,
      BiConsumer<String, String> stop) {
    this.store = store;
    this.services = services;
    this.templates = templates;
    this.timer = timer;
    this.firings = new ScheduleFirings(store, services, templates, stop);
  }

  @Override
  public void save(Schedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    templates.checkTarget(schedule);
    synchronized (lock(schedule.id())) {
      Optional<Schedule> previous = store.get(schedule.id());
      store.save(schedule);
      if (!started) {
        return; // judged and armed at start
      }
      if (!schedule.enabled()) {
        disarm(schedule.id());
        return;
      }
      boolean reEnabled = previous.isPresent() && !previous.get().enabled();
      judgeAndArm(schedule, reEnabled);
    }
  }

  @Override
  public Optional<Schedule> get(String id) {
    return store.get(Objects.requireNonNull(id, "id"));
  }

  @Override
  public List<Schedule> list() {
    return store.list();
  }

  @Override
  public boolean delete(String id) {
    Objects.requireNonNull(id, "id");
    synchronized (lock(id)) {
      Armed a = armed.remove(id);
      if (a != null && a.timer() != null) {
        a.timer().cancel();
      }
      return store.delete(id);
    }
  }

  @Override
  public ScheduleState state(String id) {
    return store.state(Objects.requireNonNull(id, "id"));
  }

  /** Judges the missed fire times of every enabled schedule, then arms their timers. */
  void start() {
    started = true;
    for (Schedule s : store.list()) {
      if (s.enabled()) {
        synchronized (lock(s.id())) {
          judgeAndArm(s, true);
        }
      }
    }
  }

  /**
   * Arms the schedules saved, changed, enabled or disabled by other engines, and drops those
   * deleted: what every engine does a third of the lease time apart, after its claims. A
   * schedule seen here for the first time fires from now: the engine that saved it judged what
   * it missed.
   */
  void refresh() {
    if (!started || services.isClosing()) {
      return;
    }
    List<Schedule> stored;
    try {
      stored = store.list();
    } catch (DagflowException e) {
      LOG.warn("the schedules could not be read: {}", e.getMessage());
      return;
    }
    Set<String> ids = new HashSet<>();
    for (Schedule s : stored) {
      ids.add(s.id());
      synchronized (lock(s.id())) {
        Armed a = armed.get(s.id());
        if (!s.enabled()) {
          disarm(s.id());
        } else if (a == null || !a.schedule().equals(s)) {
          arm(s, timer.now().minusMillis(1));
        }
      }
    }
    for (String id : List.copyOf(armed.keySet())) {
      if (!ids.contains(id)) {
        synchronized (lock(id)) {
          Armed a = armed.remove(id);
          if (a != null && a.timer() != null) {
            a.timer().cancel();
          }
        }
      }
    }
  }

  /** Cancels every timer: the engine is closing. */
  void close() {
    started = false;
    for (String id : List.copyOf(armed.keySet())) {
      synchronized (lock(id)) {
        Armed a = armed.remove(id);
        if (a != null && a.timer() != null) {
          a.timer().cancel();
        }
      }
    }
  }

  /**
   * Under the schedule's lock: judges the fire times missed since the cursor if {@code judge}
   * (else none before now are missed), then arms the timer for the next one. A fire time at
   * this very moment is on time: it is armed, not judged (fire times are whole minutes, so
   * none falls within the millisecond before now).
   */
  private void judgeAndArm(Schedule s, boolean judge) {
    Instant now = timer.now();
    Instant through = now.minusMillis(1);
    try {
      Optional<Instant> cursor = store.cursor(s.id());
      if (judge && cursor.isPresent() && cursor.get().isBefore(through)) {
        firings.catchUp(s, cursor.get(), now);
      }
      store.handled(s.id(), through);
    } catch (DagflowException e) {
      LOG.warn("schedule {}: its missed fire times could not be judged: {}", s.id(),
          e.getMessage());
    }
    arm(s, through);
  }

  /**
   * Under the schedule's lock: arms its timer for the first fire time strictly after {@code
   * after}, and shows it in the schedule's state.
   */
  private void arm(Schedule s, Instant after) {
    Armed old = armed.remove(s.id());
    if (old != null && old.timer() != null) {
      old.timer().cancel();
    }
    Optional<Instant> next = s.nextFireTime(after);
    try {
      store.nextFireTime(s.id(), next);
    } catch (DagflowException e) {
      LOG.info("schedule {}: its next fire time could not be shown: {}", s.id(), e.getMessage());
    }
    if (next.isEmpty()) {
      armed.put(s.id(), new Armed(s, Instant.MAX, null));
      return;
    }
    Instant at = next.get();
    Armed[] self = new Armed[1];
    synchronized (self) { // the timer may be due at once, on another thread
      Cancellable c = timer.schedule(at, () -> {
        synchronized (self) {
          wake(s.id(), self[0]);
        }
      });
      self[0] = new Armed(s, at, c);
      armed.put(s.id(), self[0]);
    }
  }

  private void disarm(String id) {
    Armed a = armed.remove(id);
    if (a != null && a.timer() != null) {
      a.timer().cancel();
    }
    try {
      store.nextFireTime(id, Optional.empty());
    } catch (DagflowException e) {
      LOG.info("schedule {}: its next fire time could not be cleared: {}", id, e.getMessage());
    }
  }

  /**
   * The timer of {@code token} is due: fires its time with the schedule as stored now, then
   * judges any fire times after it that are past already (a late timer: a paused process), and
   * arms the next.
   */
  private void wake(String id, Armed token) {
    synchronized (lock(id)) {
      if (armed.get(id) != token || !started || services.isClosing()) {
        return; // re-armed, disarmed or closing meanwhile
      }
      armed.remove(id);
      Schedule s;
      try {
        s = store.get(id).orElse(null);
      } catch (DagflowException e) {
        LOG.warn("schedule {}: fire time {} not handled, the schedule could not be read: {}",
            id, token.at(), e.getMessage());
        arm(token.schedule(), token.at());
        return;
      }
      if (s == null || !s.enabled()) {
        return; // deleted or disabled elsewhere
      }
      Instant at = token.at();
      boolean stillDue = s.nextFireTime(at.minusNanos(1)).map(at::equals).orElse(false);
      if (stillDue) {
        firings.fire(s, at);
      }
      Instant now = timer.now();
      Instant through = now.minusMillis(1);
      if (at.isBefore(through)) { // late: the fire times since were missed
        firings.catchUp(s, at, now);
      }
      arm(s, at.isAfter(through) ? at : through);
    }
  }

  private Object lock(String id) {
    return locks.computeIfAbsent(id, k -> new Object());
  }
}
