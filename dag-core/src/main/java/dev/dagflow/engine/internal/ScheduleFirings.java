package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.DagflowException;
import dev.dagflow.engine.RunStateException;
import dev.dagflow.engine.UnknownRunException;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.schedule.ScheduleState.Outcome;
import dev.dagflow.state.RunState;
import dev.dagflow.store.DuplicateStartException;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.ScheduleStore;
import dev.dagflow.store.StoreException;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.trigger.OverlapPolicy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one fire time of a schedule does (overlap, the run with its start key, counters), and what
 * the fire times missed while no engine ran do (the misfire policy). Stateless beyond its
 * collaborators; callers serialise the firings of one schedule.
 */
final class ScheduleFirings {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleFirings.class);
  /**
   * The most missed fire times counted one by one as skipped: beyond it (a minutely schedule
   * down for a day) the older ones are passed over uncounted, so that a start does not write
   * a row per minute of downtime.
   */
  static final int MAX_COUNTED_MISSES = 1000;

  private final ScheduleStore store;
  private final RunServices services;
  private final Templates templates;
  private final BiConsumer<String, String> stop;

  ScheduleFirings(ScheduleStore store, RunServices services, Templates templates,
      BiConsumer<String, String> stop) {
    this.store = store;
    this.services = services;
    this.templates = templates;
    this.stop = stop;
  }

  /**
   * The start key of the run schedule {@code id} starts for {@code fireTime}: {@code
   * schedule:<id>/<epoch millis>}. A schedule id has no {@code /}, so no two pairs share a key.
   */
  static String startKey(String id, Instant fireTime) {
    return startKeyPrefix(id) + fireTime.toEpochMilli();
  }

  private static String startKeyPrefix(String id) {
    return "schedule:" + id + "/";
  }

  /**
   * Applies {@code s}'s misfire policy to its fire times after {@code after} and before {@code
   * now} (a fire time at {@code now} is on time, not missed); returns the latest of them, or
   * {@code after} if there were none.
   */
  Instant catchUp(Schedule s, Instant after, Instant now) {
    int keep = switch (s.misfire()) {
      case SKIP -> 0;
      case RUN_ONCE -> 1;
      case RUN_ALL -> s.misfireLimit();
    };
    Deque<Instant> missed = new ArrayDeque<>();
    long uncounted = 0;
    Instant last = after;
    for (Optional<Instant> t = s.nextFireTime(after); t.isPresent() && t.get().isBefore(now);
        t = s.nextFireTime(t.get())) {
      missed.addLast(t.get());
      last = t.get();
      if (missed.size() > keep + MAX_COUNTED_MISSES) {
        missed.removeFirst();
        uncounted++;
      }
    }
    if (missed.isEmpty()) {
      return after;
    }
    if (uncounted > 0) {
      LOG.warn("schedule {}: {} older fire times missed before {} are passed over uncounted",
          s.id(), uncounted, missed.peekFirst());
    }
    int skipped = Math.max(0, missed.size() - keep);
    LOG.info("schedule {}: {} fire times missed from {} to {}; misfire {}: {} run, {} skipped",
        s.id(), missed.size() + uncounted, missed.peekFirst(), last, s.misfire(),
        missed.size() - skipped, skipped + uncounted);
    for (int i = 0; i < skipped; i++) {
      count(s, missed.removeFirst(), Outcome.SKIPPED, Optional.empty());
    }
    for (Instant t : missed) {
      fire(s, t);
    }
    return last;
  }

  /** Starts the run of fire time {@code fireTime} of {@code s}, unless its overlap holds it. */
  void fire(Schedule s, Instant fireTime) {
    if (services.isClosing()) {
      return; // not handled: the next engine to start judges it missed
    }
    List<String> active;
    try {
      active = s.overlap() == OverlapPolicy.ALLOW ? List.of() : active(s.id());
    } catch (DagflowException e) {
      LOG.warn("schedule {}: fire time {} not handled, its runs could not be read: {}", s.id(),
          fireTime, e.getMessage());
      return;
    }
    if (!active.isEmpty() && s.overlap() == OverlapPolicy.SKIP) {
      if (count(s, fireTime, Outcome.SKIPPED, Optional.empty())) {
        LOG.info("schedule {}: fire time {} skipped, its previous run {} is still active",
            s.id(), fireTime, String.join(", ", active));
      }
      return;
    }
    String runId = services.newRunId();
    try {
      DagTemplate template = templates.resolve(s.templateName(), s.templateVersion(),
          s.project());
      ObjectNode params = s.params();
      services.registry().create(runId, RunPlacement.ofSchedule(template, s),
          Optional.of(template), params, Optional.of("schedule:" + s.id()), Optional.empty(), 0,
          Optional.of(startKey(s.id(), fireTime)));
    } catch (DuplicateStartException e) {
      // started by another engine at the same time, or by this one before a crash
      LOG.debug("schedule {}: fire time {} already started run {}", s.id(), fireTime,
          e.existingRunId());
      return;
    } catch (StoreException | IllegalStateException e) {
      // the store failed or the engine is closing: not counted; a run stored all the same is
      // claimed and runs once its lease expires
      LOG.warn("schedule {}: the run of fire time {} could not be started: {}", s.id(),
          fireTime, e.getMessage());
      return;
    } catch (DagflowException | IllegalArgumentException e) {
      String reason = e.getMessage();
      LOG.warn("schedule {}: the run of fire time {} could not be started: {}", s.id(),
          fireTime, reason);
      count(s, fireTime, Outcome.FAILED, Optional.of(reason));
      return;
    }
    count(s, fireTime, Outcome.FIRED, Optional.empty());
    if (s.overlap() == OverlapPolicy.CANCEL_PREVIOUS) {
      for (String previous : active) {
        try {
          stop.accept(previous, "schedule:" + s.id());
        } catch (RunStateException | UnknownRunException ended) {
          // it ended meanwhile
        }
      }
    }
  }

  /** The schedule's unfinished runs in the run store, the oldest first. */
  private List<String> active(String id) {
    List<String> runs = new ArrayList<>(services.runs().list(RunQuery.all()
        .startKeyPrefix(startKeyPrefix(id))
        .states(RunState.PENDING, RunState.RUNNING, RunState.PAUSED)
        .page(0, RunQuery.MAX_PAGE_SIZE)).items().stream().map(RunSummary::runId).toList());
    Collections.reverse(runs);
    return runs;
  }

  /** Counts a fire time; a failure to count is logged, not thrown: the run stands. */
  private boolean count(Schedule s, Instant fireTime, Outcome outcome, Optional<String> error) {
    try {
      return store.record(s.id(), fireTime, outcome, error);
    } catch (DagflowException e) { // deleted meanwhile, or the store failed
      LOG.info("schedule {}: fire time {} ({}) could not be counted: {}", s.id(), fireTime,
          outcome, e.getMessage());
      return false;
    }
  }
}
