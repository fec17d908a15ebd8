package dev.dagflow.store;

import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.TriggerCounters;
import dev.dagflow.trigger.UnknownTriggerException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * SPI: where event triggers live, by id, with their counters and the ids of the events each has
 * already processed (so that a trigger fires at most once per event id, across restarts and, in
 * a shared database, across engine instances).
 *
 * <p>Implementations are thread-safe: the engine calls them from the threads that emit events
 * and the host from any thread. {@link #recordStart} and {@link #markProcessed} are atomic;
 * {@link #isProcessed} sees every mark that has returned.
 * Results are never {@code null}; lists are unmodifiable. {@link StoreException} is for the
 * store's own failures, never for a missing trigger.
 */
public interface TriggerStore {

  /** Saves {@code trigger}, replacing the trigger of the same id and keeping its counters. */
  void save(EventTrigger trigger);

  /** The trigger {@code id}; empty if none. */
  Optional<EventTrigger> get(String id);

  /** Every trigger, by id. */
  List<EventTrigger> list();

  /**
   * The triggers of {@code project}, by id; for an empty project, the global triggers. Global
   * triggers are not listed with a project's.
   */
  List<EventTrigger> list(Optional<String> project);

  /**
   * Deletes the trigger {@code id} with its counters, processed event ids and queued event;
   * returns whether
   * there was one. Saving the id again starts from zero.
   */
  boolean delete(String id);

  /**
   * The counters of trigger {@code id}; all zero and empty for a trigger that has never fired.
   *
   * @throws UnknownTriggerException if there is no trigger {@code id}
   */
  TriggerCounters counters(String id);

  /**
   * Counts one start attempt of trigger {@code id}, atomically: {@code total} and {@code
   * success} or {@code failed} go up by one, {@code lastFired} becomes {@code at} (unless a
   * later time is recorded), and a failure's error becomes {@code lastError}. See {@link
   * TriggerCounters#plus}.
   *
   * @param error the reason of a failed start; empty for a success
   * @throws IllegalArgumentException if a success has an error or a failure has none
   * @throws UnknownTriggerException if there is no trigger {@code id}
   */
  void recordStart(String id, boolean success, Optional<String> error, Instant at);

  /**
   * Records that trigger {@code triggerId} has processed event {@code eventId}: true the first
   * time the pair is recorded, false every time after. Atomic: of concurrent calls with one
   * pair, exactly one returns true.
   *
   * @throws UnknownTriggerException if there is no trigger {@code triggerId}
   */
  boolean markProcessed(String triggerId, String eventId);

  /**
   * Whether {@link #markProcessed} has recorded the pair; records nothing. The engine asks
   * before it acts on an event, so that an event processed already does nothing again.
   *
   * @throws UnknownTriggerException if there is no trigger {@code triggerId}
   */
  boolean isProcessed(String triggerId, String eventId);

  /**
   * Stores {@code event} as the one trigger {@code triggerId} starts once its active runs have
   * ended (its {@link dev.dagflow.trigger.OverlapPolicy#QUEUE_ONE} overlap), in place of the
   * event queued before, atomically; so that the instance that ends the last active run, or any
   * instance after a crash, starts it. The event is read back equal to {@code event}.
   *
   * @return the event it replaced; empty if none was queued
   * @throws UnknownTriggerException if there is no trigger {@code triggerId}
   */
  Optional<Event> queue(String triggerId, Event event);

  /** The event queued for trigger {@code triggerId}; empty if none is, or no such trigger. */
  Optional<Event> queued(String triggerId);

  /**
   * Removes the event queued for trigger {@code triggerId} if it is still event {@code eventId}:
   * what the instance that started it does, after its run is stored. Atomic.
   *
   * @return whether it removed it
   */
  boolean unqueue(String triggerId, String eventId);

  /** The ids of the triggers with a queued event, by id. */
  List<String> withQueued();

  /**
   * Forgets up to {@code limit} of the processed event ids recorded (on the store's clock)
   * before {@code processedBefore}, the oldest first: an event delivered again after that is
   * not known as processed (the start key of the run it started still refuses a second run
   * while that run is stored). One short operation; a purge calls it until it returns fewer
   * than {@code limit}.
   *
   * @return how many it forgot
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  int purgeProcessed(Instant processedBefore, int limit);
}
