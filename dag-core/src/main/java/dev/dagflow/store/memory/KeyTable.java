package dev.dagflow.store.memory;

import dev.dagflow.store.KeyReuse;
import dev.dagflow.store.RunRecord;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The idempotency keys of {@link MemoryRunStore}: per project and key, the id of the key's current
 * run. A claim is atomic per key ({@link ConcurrentHashMap#compute}) and reads the state of the
 * key's current run inside it, without a lock (a run's record is a volatile field): a run that
 * ends meanwhile has ended before or after the claim, never half. Thread-safe.
 */
final class KeyTable {
  /** A key in its project; an empty project is the global scope. */
  private record Key(Optional<String> project, String key) {
    static Optional<Key> of(RunRecord run) {
      return run.idempotencyKey().map(key -> new Key(run.project(), key));
    }
  }

  private final ConcurrentHashMap<Key, String> current = new ConcurrentHashMap<>();

  /**
   * Points {@code run}'s key at it unless the key names a run {@code reuse} keeps it for ({@code
   * hasEnded} tells whether a run has ended); the run is stored already. Returns empty if the key
   * names {@code run} now (or it has none), else the run the key names.
   */
  Optional<String> claim(RunRecord run, KeyReuse reuse, Predicate<String> hasEnded) {
    Optional<Key> key = Key.of(run);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    String[] refusedBy = new String[1];
    current.compute(key.get(), (k, holder) -> {
      if (holder == null || reuse == KeyReuse.AFTER_END && hasEnded.test(holder)) {
        return run.runId();
      }
      refusedBy[0] = holder;
      return holder;
    });
    return Optional.ofNullable(refusedBy[0]);
  }

  /** Forgets {@code run}'s key if it still names {@code run}: the run is purged. */
  void release(RunRecord run) {
    Key.of(run).ifPresent(key -> current.remove(key, run.runId()));
  }
}
