package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.DagflowException;
import dev.dagflow.engine.RunStateException;
import dev.dagflow.engine.UnknownRunException;
import dev.dagflow.log.LogLevel;
import dev.dagflow.state.RunState;
import dev.dagflow.store.DuplicateStartException;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.StoreException;
import dev.dagflow.store.TriggerStore;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.OverlapPolicy;
import dev.dagflow.trigger.TriggerCounters;
import dev.dagflow.trigger.TriggerExplanation;
import dev.dagflow.trigger.TriggerFiring;
import dev.dagflow.trigger.TriggerFiring.Outcome;
import dev.dagflow.trigger.TriggerMatcher;
import dev.dagflow.trigger.TriggerRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
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
 * The engine's triggers: the registry over the trigger store, the matcher, and what a matching
 * trigger does with an event (dedupe by event id and by the start key of its run, overlap
 * policy, parameter mapping, counters). Thread-safe: the decisions of one trigger are
 * serialised on its state.
 */
final class Triggers implements TriggerRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(Triggers.class);

  private final TriggerStore store;
  private final TriggerMatcher matcher;
  private final RunServices services;
  private final Templates templates;
  private final BiConsumer<String, String> stop;
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final Map<String, Integer> triggersPerType = new ConcurrentHashMap<>();

  /**
   * What one instance knows of a trigger beside the store: the runs it is starting now, which
   * the store may not list yet, and the events it is acting on now (so that one event delivered
   * twice at once is one firing); guarded by itself. A trigger's active runs are the store's
   * unfinished runs with its start key prefix, and its queued event is the store's, so that
   * every instance sees them and a crash loses neither.
   */
  private static final class State {
    final Set<String> starting = new LinkedHashSet<>();
    final Set<String> firing = new HashSet<>();
  }

  /** {@code stop} stops a run, here or by a command to its owner, as the engine's stop does. */
  Triggers(TriggerStore store, TriggerMatcher matcher, RunServices services, Templates templates,
      BiConsumer<String, String> stop) {
    this.store = store;
    this.matcher = matcher;
    this.services = services;
    this.templates = templates;
    this.stop = stop;
  }

  /** Puts the stored triggers into the matcher. */
  void load() {
    for (EventTrigger t : store.list()) {
      index(t, null);
    }
  }

  @Override
  public synchronized void save(EventTrigger trigger) {
    Objects.requireNonNull(trigger, "trigger");
    templates.checkTarget(trigger);
    EventTrigger previous = store.get(trigger.id()).orElse(null);
    store.save(trigger);
    index(trigger, previous);
  }

  private void index(EventTrigger trigger, EventTrigger previous) {
    if (previous != null) {
      triggersPerType.computeIfPresent(previous.eventType(), (k, n) -> n == 1 ? null : n - 1);
    }
    triggersPerType.merge(trigger.eventType(), 1, Integer::sum);
    matcher.put(trigger);
  }

  @Override
  public Optional<EventTrigger> get(String id) {
    return store.get(Objects.requireNonNull(id, "id"));
  }

  @Override
  public List<EventTrigger> list() {
    return store.list();
  }

  @Override
  public synchronized boolean delete(String id) {
    Optional<EventTrigger> t = store.get(Objects.requireNonNull(id, "id"));
    if (t.isEmpty()) {
      return false;
    }
    matcher.remove(id);
    triggersPerType.computeIfPresent(t.get().eventType(), (k, n) -> n == 1 ? null : n - 1);
    states.remove(id);
    return store.delete(id);
  }

  @Override
  public TriggerExplanation explain(EventTrigger trigger, Event event) {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(event, "event");
    Event stamped = event.time().isPresent() ? event : event.withTime(services.time().now());
    List<String> active = List.of();
    Optional<String> queued = Optional.empty();
    if (store.get(trigger.id()).isPresent()) { // a trigger not saved yet has neither
      active = active(trigger.id(), states.computeIfAbsent(trigger.id(), k -> new State()));
      queued = store.queued(trigger.id()).map(Event::id);
    }
    return TriggerExplainer.explain(trigger, stamped, services.maxChainDepth(), active, queued,
        templates);
  }

  @Override
  public TriggerCounters counters(String id) {
    return store.counters(Objects.requireNonNull(id, "id"));
  }

  /** Whether some trigger listens for events of {@code type}. */
  boolean listensFor(String type) {
    return !triggersPerType.isEmpty() && triggersPerType.containsKey(type);
  }

  /** Matches {@code event} and lets each matching trigger act on it. */
  List<TriggerFiring> fire(Event event, int maxChainDepth) {
    List<TriggerFiring> firings = fireAll(event, maxChainDepth);
    Metrics metrics = services.metrics();
    if (metrics.on) {
      firings.forEach(f -> metrics.triggerFired(f.outcome()));
    }
    return firings;
  }

  private List<TriggerFiring> fireAll(Event event, int maxChainDepth) {
    List<EventTrigger> matches = matcher.match(event);
    List<TriggerFiring> firings = new ArrayList<>(matches.size());
    if (event.depth() > maxChainDepth && !matches.isEmpty()) {
      String reason = "event '" + event.id() + "' (" + event.type() + ") is at chain depth "
          + event.depth() + ", the limit is " + maxChainDepth + ": no trigger fires";
      LOG.warn(reason);
      event.cause().ifPresent(cause -> services.logIfRun(cause, LogLevel.WARN, reason));
      services.notifyListeners(limitReached(event, matches, maxChainDepth));
      for (EventTrigger t : matches) {
        firings.add(new TriggerFiring(t.id(), event.id(), Outcome.CHAIN_LIMIT, Optional.empty(),
            Optional.of(reason)));
      }
      return firings;
    }
    for (EventTrigger t : matches) {
      firings.add(fire(t, event));
    }
    return firings;
  }

  private static Event limitReached(Event event, List<EventTrigger> matches, int limit) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("eventId", event.id());
    payload.put("eventType", event.type());
    payload.put("depth", event.depth());
    payload.put("limit", limit);
    ArrayNode ids = payload.putArray("triggers");
    matches.forEach(t -> ids.add(t.id()));
    Event.Builder b = Event.builder("chain.limit_reached")
        .id(EngineEvents.id("chain.limit_reached", event.id())).payload(payload)
        .cause(event.id()).depth(event.depth());
    event.project().ifPresent(b::project);
    event.time().ifPresent(b::time);
    return b.build();
  }

  /**
   * The start key of the run trigger {@code triggerId} starts for event {@code eventId}: {@code
   * trigger:<triggerId>/<eventId>}. A trigger id has no {@code /}, so no two pairs share a key.
   */
  static String startKey(String triggerId, String eventId) {
    return startKeyPrefix(triggerId) + eventId;
  }

  /** What the start keys of trigger {@code triggerId}'s runs begin with. */
  private static String startKeyPrefix(String triggerId) {
    return "trigger:" + triggerId + "/";
  }

  /** The trigger whose firing {@code startKey} is; null for another key or none. */
  private static String triggerOf(Optional<String> startKey) {
    if (startKey.isEmpty() || !startKey.get().startsWith("trigger:")) {
      return null;
    }
    int slash = startKey.get().indexOf('/');
    return slash < 0 ? null : startKey.get().substring("trigger:".length(), slash);
  }

  /**
   * The trigger's active runs: the store's unfinished runs it started (the oldest first), then
   * those this instance is starting now. Under the state's monitor, so that of two events here
   * at once the second sees the first's run.
   */
  private List<String> active(String triggerId, State state) {
    List<String> stored = new ArrayList<>(services.runs().list(RunQuery.all()
        .startKeyPrefix(startKeyPrefix(triggerId))
        .states(RunState.PENDING, RunState.RUNNING, RunState.PAUSED)
        .page(0, RunQuery.MAX_PAGE_SIZE)).items().stream().map(RunSummary::runId).toList());
    Collections.reverse(stored);
    synchronized (state) {
      for (String runId : state.starting) {
        if (!stored.contains(runId)) {
          stored.add(runId);
        }
      }
    }
    return stored;
  }

  /**
   * What {@code t} does with {@code event}. An event that starts a run is marked processed only
   * once its run is stored with the firing's start key, so that a crash between the two loses
   * nothing: delivered again, it is refused by the key. Every other outcome is marked before it
   * is acted on, except a failure of the store or a closing engine, which leaves the event to be
   * delivered again.
   */
  private TriggerFiring fire(EventTrigger t, Event event) {
    try {
      if (store.isProcessed(t.id(), event.id())) {
        return duplicate(t, event, "was already processed by this trigger");
      }
    } catch (DagflowException e) { // deleted while the event was matched, or the store failed
      return failed(t, event, e.getMessage());
    }
    State state = states.computeIfAbsent(t.id(), k -> new State());
    String runId = services.newRunId();
    List<String> toStop;
    // decide under the trigger's monitor; start and stop runs outside it, since a run that
    // ends at once emits events that fire other triggers on this thread
    synchronized (state) {
      if (!state.firing.add(event.id())) {
        return duplicate(t, event, "is being processed by this trigger");
      }
      try {
        toStop = t.overlap() == OverlapPolicy.ALLOW ? List.of() : active(t.id(), state);
      } catch (DagflowException e) { // the store failed: the event may be delivered again
        state.firing.remove(event.id());
        return failed(t, event, e.getMessage());
      }
      if (!toStop.isEmpty()
          && (t.overlap() == OverlapPolicy.SKIP || t.overlap() == OverlapPolicy.QUEUE_ONE)) {
        state.firing.remove(event.id());
        return hold(t, event, String.join(", ", toStop));
      }
      if (t.overlap() != OverlapPolicy.CANCEL_PREVIOUS) {
        toStop = List.of();
      }
      state.starting.add(runId);
    }
    try {
      return start(t, event, state, runId, toStop, false);
    } finally {
      synchronized (state) {
        state.firing.remove(event.id());
      }
    }
  }

  /**
   * Skips or queues {@code event} while {@code active} runs: marks it processed first, so a
   * duplicate is neither skipped again nor queued. Under the state's monitor. A run that ends on
   * another instance between the decision and the queueing leaves the event queued until the
   * next look at the queued events, a third of the lease time later at most.
   */
  private TriggerFiring hold(EventTrigger t, Event event, String active) {
    try {
      if (!store.markProcessed(t.id(), event.id())) {
        return duplicate(t, event, "was already processed by this trigger");
      }
    } catch (DagflowException e) {
      return failed(t, event, e.getMessage());
    }
    if (t.overlap() == OverlapPolicy.SKIP) {
      return new TriggerFiring(t.id(), event.id(), Outcome.SKIPPED, Optional.empty(),
          Optional.of("its previous run " + active + " is still active"));
    }
    try {
      store.queue(t.id(), event).ifPresent(before -> LOG.info(
          "trigger {}: event {} replaces queued event {}", t.id(), event.id(), before.id()));
    } catch (DagflowException e) { // marked but not queued: said, not hidden
      LOG.warn("trigger {}: event {} could not be queued: {}", t.id(), event.id(),
          e.getMessage());
      return failed(t, event, "it could not be queued: " + e.getMessage());
    }
    return new TriggerFiring(t.id(), event.id(), Outcome.QUEUED, Optional.empty(),
        Optional.of("runs once its previous run " + active + " has ended"));
  }

  /**
   * Starts the run {@code runId} of trigger {@code t} for {@code event}, registered already, with
   * the firing's start key; then marks the event processed, unless it is {@code marked} already
   * (a queued event, which leaves the queue once its run is stored, or it has failed for good),
   * and stops {@code toStop}. Nothing is stopped for a duplicate.
   */
  private TriggerFiring start(EventTrigger t, Event event, State state, String runId,
      List<String> toStop, boolean marked) {
    try {
      DagTemplate template = templates.resolve(t.templateName(), t.templateVersion(),
          t.project().or(event::project));
      ObjectNode params = t.mapParameters(event);
      services.registry().create(runId, RunPlacement.ofTrigger(template, t, event),
          Optional.of(template), params, Optional.empty(), Optional.of(event.id()), event.depth(),
          Optional.of(startKey(t.id(), event.id())));
    } catch (DuplicateStartException e) {
      unregister(state, runId);
      if (!marked) {
        markQuietly(t, event); // the mark after that run's creation was lost: repair it
      } else {
        unqueueQuietly(t, event); // started by another instance, or before a crash
      }
      return duplicate(t, event, "was already processed by this trigger: it started run "
          + e.existingRunId());
    } catch (DagflowException | IllegalArgumentException | IllegalStateException e) {
      unregister(state, runId);
      // the store failed or the engine is closing: the event is not processed, and a delivery
      // of it again starts its run; any other failure would fail again, so the event is done
      boolean again = e instanceof StoreException || e instanceof IllegalStateException;
      if (!marked && !again && !markFailed(t, event)) {
        return duplicate(t, event, "was already processed by this trigger");
      }
      if (!again) {
        stop(t, toStop);
        if (marked) {
          unqueueQuietly(t, event);
        }
      }
      String reason = e.getMessage();
      count(t, false, Optional.of(reason));
      LOG.warn("trigger {} could not start a run for event {}: {}", t.id(), event.id(), reason);
      return failed(t, event, reason);
    }
    unregister(state, runId); // stored: the store lists it among the trigger's active runs
    if (!marked) {
      markQuietly(t, event);
    } else {
      unqueueQuietly(t, event);
    }
    stop(t, toStop);
    count(t, true, Optional.empty());
    return new TriggerFiring(t.id(), event.id(), Outcome.STARTED, Optional.of(runId),
        Optional.empty());
  }

  private void unregister(State state, String runId) {
    synchronized (state) {
      state.starting.remove(runId);
    }
  }

  /** Takes a queued event whose run is stored (or that failed for good) off the queue. */
  private void unqueueQuietly(EventTrigger t, Event event) {
    try {
      store.unqueue(t.id(), event.id());
    } catch (DagflowException e) { // its run is stored: started again, the key refuses it
      LOG.warn("trigger {}: queued event {} could not be taken off the queue: {}", t.id(),
          event.id(), e.getMessage());
    }
  }

  private void stop(EventTrigger t, List<String> runs) {
    for (String previous : runs) {
      try {
        stop.accept(previous, "trigger:" + t.id());
      } catch (RunStateException | UnknownRunException ended) {
        // it ended meanwhile
      }
    }
  }

  /**
   * Marks an event whose run could not start; false if it was marked already (another instance
   * processed it meanwhile). A mark that fails leaves the event unmarked: it may fail again.
   */
  private boolean markFailed(EventTrigger t, Event event) {
    try {
      return store.markProcessed(t.id(), event.id());
    } catch (DagflowException e) {
      LOG.warn("trigger {}: event {} could not be marked processed: {}", t.id(), event.id(),
          e.getMessage());
      return true;
    }
  }

  /**
   * Marks an event whose run is stored. Only a shortcut for deliveries to come (the run's start
   * key refuses them anyway), so a failure is logged, not thrown.
   */
  private void markQuietly(EventTrigger t, Event event) {
    try {
      store.markProcessed(t.id(), event.id());
    } catch (DagflowException e) {
      LOG.warn("trigger {}: event {} started its run but could not be marked processed: {}",
          t.id(), event.id(), e.getMessage());
    }
  }

  private static TriggerFiring duplicate(EventTrigger t, Event event, String why) {
    return new TriggerFiring(t.id(), event.id(), Outcome.DUPLICATE, Optional.empty(),
        Optional.of("event '" + event.id() + "' " + why));
  }

  private static TriggerFiring failed(EventTrigger t, Event event, String reason) {
    return new TriggerFiring(t.id(), event.id(), Outcome.FAILED, Optional.empty(),
        Optional.of(reason));
  }

  private void count(EventTrigger t, boolean success, Optional<String> error) {
    try {
      store.recordStart(t.id(), success, error, services.time().now());
    } catch (DagflowException e) { // deleted meanwhile, or the store failed
      LOG.info("trigger {}: a start could not be counted: {}", t.id(), e.getMessage());
    }
  }

  /** Run {@code run} has ended: the trigger that started it may start the event it queued. */
  void runEnded(RunRecord run) {
    String triggerId = triggerOf(run.startKey());
    if (triggerId != null) {
      startQueued(triggerId);
    }
  }

  /**
   * Starts the queued event of every trigger that has one and no active run: what the instance
   * that ended a trigger's last run does at once, and every instance a third of the lease time
   * later, for an event queued while that run ended elsewhere or left by a crash.
   */
  void startQueued() {
    List<String> withQueued;
    try {
      withQueued = store.withQueued();
    } catch (DagflowException e) {
      LOG.warn("the queued events of triggers could not be read: {}", e.getMessage());
      return;
    }
    withQueued.forEach(this::startQueued);
  }

  private void startQueued(String triggerId) {
    Event next;
    EventTrigger t;
    State state = states.computeIfAbsent(triggerId, k -> new State());
    String runId = services.newRunId();
    synchronized (state) {
      try {
        next = store.queued(triggerId).orElse(null);
        t = next == null ? null : store.get(triggerId).orElse(null);
        if (t == null || !t.enabled() || !active(triggerId, state).isEmpty()
            || !state.firing.add(next.id())) {
          return;
        }
      } catch (DagflowException e) {
        LOG.warn("trigger {}: its queued event could not be read: {}", triggerId,
            e.getMessage());
        return;
      }
      state.starting.add(runId);
    }
    try {
      TriggerFiring f = start(t, next, state, runId, List.of(), true);
      LOG.debug("trigger {}: queued event {}: {}", triggerId, next.id(), f);
    } finally {
      synchronized (state) {
        state.firing.remove(next.id());
      }
    }
  }
}
