package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeContext;
import dev.dagflow.engine.NodeExecutor;
import dev.dagflow.engine.SubtreeNode;
import dev.dagflow.engine.TimeSource;
import dev.dagflow.engine.UpstreamOutcome;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.log.LogLevel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.helpers.MessageFormatter;

/**
 * One attempt of one node: its context for the executor, its record and its timeout timer. The
 * mutable fields are guarded by the run's lock; the context's methods may be called from any
 * thread.
 */
final class Attempt implements NodeContext {
  final ActiveRun run;
  final int node;
  final int number;
  final NodeExecutor executor;
  private final NodeSpec spec;
  private final String taskType;
  private volatile ObjectNode config;
  /** Made on first use: most executors never ask. */
  private String key;
  /** The stored reference, or null: set with {@link #record}, read without the lock. */
  private volatile String engineRef;
  AttemptRecord record;
  TimeSource.Cancellable timer;
  /** Whether the timer waits for the attempt's call: it was started ahead of a worker. */
  boolean timeoutDeferred;
  /** The pool whose running nodes count this attempt, with metrics; null otherwise. */
  ScopePool countedIn;
  boolean ended;
  /** The queue entry the attempt began from, and its pool: it goes back there once stored. */
  ReadyNode item;
  ScopePool queuedIn;
  /** Whether the RUNNING record is durable yet; guarded by {@code this}, with {@link #wentOn}. */
  private Storage storage = Storage.UNKNOWN;
  /** Whether the worker that began it went on: the attempt is queued again once stored. */
  private boolean wentOn;

  /** What is known of the attempt's RUNNING record: the attempt runs only once it is STORED. */
  private enum Storage {
    UNKNOWN,
    STORED,
    /** The run was given up before the record was durable. */
    NEVER
  }

  Attempt(ActiveRun run, int node, int number, NodeExecutor executor, ObjectNode config,
      AttemptRecord record) {
    this.run = run;
    this.node = node;
    this.number = number;
    this.executor = executor;
    this.spec = run.spec.nodes().get(node);
    this.taskType = spec.taskType().orElse("");
    this.config = config;
    this.record = record;
    this.engineRef = record.engineRef().orElse(null);
  }

  /** The attempt's RUNNING record is durable: it may run. */
  void stored() {
    boolean resume;
    synchronized (this) {
      if (storage != Storage.UNKNOWN) {
        return;
      }
      storage = Storage.STORED;
      resume = wentOn;
    }
    if (resume) {
      run.resume(this);
    }
  }

  /** The run was given up before the attempt's RUNNING record was durable: it never runs. */
  void neverStored() {
    boolean gaveUp;
    synchronized (this) {
      if (storage != Storage.UNKNOWN) {
        return;
      }
      storage = Storage.NEVER;
      gaveUp = wentOn;
    }
    if (gaveUp) {
      queuedIn.notResumed(); // its place among the pool's attempts waiting for a write is free
    }
  }

  /** Whether the attempt's RUNNING record is durable. */
  synchronized boolean isStored() {
    return storage == Storage.STORED;
  }

  /**
   * Whether the attempt may run now: true once its RUNNING record is durable (at once with a
   * store that completes writes at once); false if the run was given up first, or if the record
   * is not durable yet: the calling worker then goes on with other nodes rather than wait for
   * the write, the pool counts the attempt among those waiting for theirs ({@link
   * ScopePool#wentOn}), and {@link ActiveRun#resume} queues it again once it is stored.
   */
  boolean storedOrLater() {
    synchronized (this) {
      if (storage == Storage.UNKNOWN && !wentOn) {
        wentOn = true;
        queuedIn.wentOn();
      }
      return storage == Storage.STORED;
    }
  }

  @Override
  public String runId() {
    return run.runId;
  }

  @Override
  public String nodeId() {
    return spec.id();
  }

  @Override
  public NodeSpec node() {
    return spec;
  }

  @Override
  public String taskType() {
    return taskType;
  }

  @Override
  public ObjectNode config() {
    return config.deepCopy();
  }

  @Override
  public ObjectNode params() {
    return run.params.deepCopy();
  }

  @Override
  public Map<String, JsonNode> upstreamResults() {
    return run.upstreamResults(node);
  }

  @Override
  public Map<String, UpstreamOutcome> upstreams() {
    return run.upstreams(node);
  }

  @Override
  public int attempt() {
    return number;
  }

  @Override
  public String idempotencyKey() {
    String k = key;
    if (k == null) {
      k = run.runId + ":" + spec.id() + ":" + number;
      key = k; // racy but safe: every thread computes the same immutable string
    }
    return k;
  }

  @Override
  public Optional<String> engineRef() {
    return Optional.ofNullable(engineRef);
  }

  @Override
  public void reportEngineRef(String ref) {
    checkEngineRef(ref);
    if (!ref.equals(engineRef)) { // the stored one again costs nothing
      run.engineRef(this, ref);
    }
  }

  /** Records {@code ref} as stored with the attempt; under the run's lock. */
  void storedEngineRef(String ref) {
    record = record.withEngineRef(ref);
    engineRef = ref;
  }

  static void checkEngineRef(String ref) {
    Objects.requireNonNull(ref, "engineRef");
    String problem = null;
    if (ref.isBlank()) {
      problem = "was blank";
    } else if (ref.length() > AttemptRecord.MAX_ENGINE_REF_LENGTH) {
      problem = "was " + ref.length() + " characters";
    } else {
      for (int i = 0; i < ref.length(); i++) {
        if (Character.isISOControl(ref.charAt(i))) {
          problem = "has a control character at index " + i;
          break;
        }
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException("engineRef must be non-blank, at most "
          + AttemptRecord.MAX_ENGINE_REF_LENGTH + " characters, without control characters; it "
          + problem);
    }
  }

  @Override
  public List<NodeSpec> subtree() {
    Subtrees subtrees = run.subtrees;
    return subtrees != null && subtrees.drives(node) ? subtrees.subtree(node) : List.of();
  }

  @Override
  public SubtreeNode child(String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    Subtrees subtrees = run.subtrees;
    if (subtrees == null || !subtrees.drives(node)) {
      throw new IllegalStateException("attempt " + this + " does not run a subtree: its executor"
          + " (task type '" + taskType + "') does not run the subtree of a container");
    }
    int v = run.spec.indexOf(nodeId);
    if (v < 0 || !subtrees.inside(v, node) || run.spec.nodes().get(v).isContainer()) {
      throw new IllegalArgumentException("node '" + nodeId + "' is not a task node inside"
          + " container '" + spec.id() + "'");
    }
    return new DrivenNode(this, v);
  }

  @Override
  public void reportUsage(String name, double value) {
    AttemptRecord.checkUsage(name, value);
    run.usage(this, name, value);
  }

  @Override
  public void progress(int percent) {
    run.progress(this, Math.max(0, Math.min(100, percent)));
  }

  @Override
  public void log(LogLevel level, String message, Object... args) {
    String text = MessageFormatter.arrayFormat(String.valueOf(message), args).getMessage();
    run.services.log(run, spec, number, level == null ? LogLevel.INFO : level, text);
  }

  /** The config after a live update. */
  void updateConfig(ObjectNode newConfig) {
    this.config = newConfig;
  }

  /** Cancels the timeout timer, if any. Under the run's lock. */
  void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  @Override
  public String toString() {
    return idempotencyKey();
  }
}
