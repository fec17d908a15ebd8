package dev.dagflow.engine;

import dev.dagflow.store.StoreException;
import dev.dagflow.store.TriggerStore;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.TriggerCounters;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link TriggerStore} around another, for fault tests: it fails the next marks of
 * processed events (what a crash right after a trigger's run was created leaves: the run, but no
 * mark), and tells a hook of every start it has counted, so that a test can wait for counts made
 * on the engine's threads. Thread-safe.
 */
final class FaultyTriggerStore implements TriggerStore {
  private final TriggerStore inner;
  private final AtomicInteger failNextMarks = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private volatile Runnable onStartCounted = () -> { };
  private volatile boolean queueReadsFail;

  FaultyTriggerStore(TriggerStore inner) {
    this.inner = inner;
  }

  /** The next {@code count} calls of {@link #markProcessed} fail, whatever they mark. */
  FaultyTriggerStore failNextMarks(int count) {
    failNextMarks.set(count);
    return this;
  }

  /** From now on every read of the queued events fails: an instance that cannot see them. */
  FaultyTriggerStore failQueueReads() {
    queueReadsFail = true;
    return this;
  }

  /** {@code hook} runs after each {@link #recordStart} that was stored. */
  FaultyTriggerStore onStartCounted(Runnable hook) {
    onStartCounted = hook;
    return this;
  }

  /** How many calls this wrapper has failed. */
  int failures() {
    return failed.get();
  }

  @Override
  public void save(EventTrigger trigger) {
    inner.save(trigger);
  }

  @Override
  public Optional<EventTrigger> get(String id) {
    return inner.get(id);
  }

  @Override
  public List<EventTrigger> list() {
    return inner.list();
  }

  @Override
  public List<EventTrigger> list(Optional<String> project) {
    return inner.list(project);
  }

  @Override
  public boolean delete(String id) {
    return inner.delete(id);
  }

  @Override
  public TriggerCounters counters(String id) {
    return inner.counters(id);
  }

  @Override
  public void recordStart(String id, boolean success, Optional<String> error, Instant at) {
    inner.recordStart(id, success, error, at);
    onStartCounted.run();
  }

  @Override
  public boolean markProcessed(String triggerId, String eventId) {
    if (failNextMarks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      failed.incrementAndGet();
      throw new StoreException("mark event " + eventId + " processed by trigger " + triggerId,
          "injected failure: one of the next marks");
    }
    return inner.markProcessed(triggerId, eventId);
  }

  @Override
  public boolean isProcessed(String triggerId, String eventId) {
    return inner.isProcessed(triggerId, eventId);
  }

  @Override
  public Optional<Event> queue(String triggerId, Event event) {
    return inner.queue(triggerId, event);
  }

  @Override
  public Optional<Event> queued(String triggerId) {
    failQueueRead("read the queued event of trigger " + triggerId);
    return inner.queued(triggerId);
  }

  @Override
  public boolean unqueue(String triggerId, String eventId) {
    return inner.unqueue(triggerId, eventId);
  }

  @Override
  public int purgeProcessed(Instant processedBefore, int limit) {
    return inner.purgeProcessed(processedBefore, limit);
  }

  @Override
  public List<String> withQueued() {
    failQueueRead("list the triggers with a queued event");
    return inner.withQueued();
  }

  private void failQueueRead(String operation) {
    if (queueReadsFail) {
      failed.incrementAndGet();
      throw new StoreException(operation, "injected failure: queue reads fail");
    }
  }
}
