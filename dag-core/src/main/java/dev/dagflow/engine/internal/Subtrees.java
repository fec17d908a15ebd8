package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.dagflow.engine.NodeExecutor;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.internal.SpecGraph;
import dev.dagflow.log.LogLevel;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The containers of one run whose executor runs their whole subtree ({@link
 * NodeExecutor#runsSubtree}), and the nodes inside them, whose states are what that executor
 * reports: a report opens or ends a node's attempt as a dispatch and a completion would, and a
 * report on a node whose gates are still closed is held until they open. Guarded by the run's
 * lock, as the run is.
 */
final class Subtrees {
  private final ActiveRun run;
  /**
   * For each node, the outermost container above it whose executor runs the subtree, or -1;
   * a driving container has its own entry -1 unless one above it drives too.
   */
  private final int[] driver;
  private final boolean[] drives;
  /** For each driving container, the nodes inside it in spec order; null for other nodes. */
  private final int[][] insideOf;
  private final List<NodeSpec>[] subtreeOf;
  /**
   * The driving containers a node inside of stopped while their executor ran (a stop, or fail
   * fast): their work is cancelled when they end, not taken as done.
   */
  private final BitSet interrupted = new BitSet();
  /** The attempt of a driving container being re-attached now: its reports count already. */
  private Attempt reattaching;
  /** The open attempt of each node inside that the executor reported running. */
  private final Map<Integer, AttemptRecord> open = new HashMap<>();
  /** What was reported on a node inside before its gates opened. */
  private final Map<Integer, Held> held = new HashMap<>();

  @SuppressWarnings("unchecked")
  private Subtrees(ActiveRun run, int[] driver, boolean[] drives) {
    this.run = run;
    this.driver = driver;
    this.drives = drives;
    int n = driver.length;
    int[] count = new int[n];
    for (int v = 0; v < n; v++) {
      if (driver[v] >= 0) {
        count[driver[v]]++;
      }
    }
    insideOf = new int[n][];
    for (int c = 0; c < n; c++) {
      if (drives(c)) {
        insideOf[c] = new int[count[c]];
        count[c] = 0;
      }
    }
    for (int v = 0; v < n; v++) {
      if (driver[v] >= 0) {
        insideOf[driver[v]][count[driver[v]]++] = v;
      }
    }
    subtreeOf = new List[n];
  }

  /** The subtrees of {@code run}; null if no container of its spec has such an executor. */
  static Subtrees of(ActiveRun run) {
    boolean[] drives = drivingContainers(run.spec, run.services::executor);
    return drives == null ? null : new Subtrees(run, drivers(run.spec, drives), drives);
  }

  /**
   * The node ids of {@code spec} inside a container whose executor runs the subtree: their
   * task types need no executor. Empty if there are none.
   */
  static List<String> driven(DagSpec spec, Function<String, NodeExecutor> executors) {
    boolean[] drives = drivingContainers(spec, executors);
    if (drives == null) {
      return List.of();
    }
    int[] driver = drivers(spec, drives);
    List<String> ids = new ArrayList<>();
    for (int v = 0; v < driver.length; v++) {
      if (driver[v] >= 0) {
        ids.add(spec.nodes().get(v).id());
      }
    }
    return ids;
  }

  private static boolean[] drivingContainers(DagSpec spec,
      Function<String, NodeExecutor> executors) {
    boolean[] drives = null;
    List<NodeSpec> nodes = spec.nodes();
    for (int v = 0; v < nodes.size(); v++) {
      NodeSpec node = nodes.get(v);
      if (!node.isContainer() || node.taskType().isEmpty()) {
        continue;
      }
      NodeExecutor e = executors.apply(node.taskType().get());
      if (e != null && Guard.runsSubtree(e)) {
        if (drives == null) {
          drives = new boolean[nodes.size()];
        }
        drives[v] = true;
      }
    }
    return drives;
  }

  /** For each node, its outermost driving ancestor, or -1; each parent chain walked once. */
  private static int[] drivers(DagSpec spec, boolean[] drives) {
    int n = spec.size();
    int[] driver = new int[n];
    Arrays.fill(driver, -2); // not yet known
    int[] chain = new int[16];
    for (int v = 0; v < n; v++) {
      int len = 0;
      int u = v;
      while (u >= 0 && driver[u] == -2) {
        if (len == chain.length) {
          chain = Arrays.copyOf(chain, len * 2);
        }
        chain[len++] = u;
        u = parent(spec, u);
      }
      // u is the root's parent (-1) or a node already known; resolve the chain downwards
      for (int i = len - 1; i >= 0; i--) {
        int w = chain[i];
        int p = parent(spec, w);
        if (p < 0) {
          driver[w] = -1;
        } else {
          driver[w] = driver[p] >= 0 ? driver[p] : drives[p] ? p : -1;
        }
      }
    }
    return driver;
  }

  private static int parent(DagSpec spec, int v) {
    return spec.nodes().get(v).parent().map(spec::indexOf).orElse(-1);
  }

  /** Whether node {@code v} is a container whose executor runs its subtree. */
  boolean drives(int v) {
    return drives[v] && driver[v] < 0;
  }

  /** Whether node {@code v} is inside a container whose executor runs the subtree. */
  boolean inside(int v) {
    return driver[v] >= 0;
  }

  /** Whether node {@code v} is inside the container {@code c} that drives it. */
  boolean inside(int v, int c) {
    return driver[v] == c;
  }

  /** The driving container of node {@code v} inside; -1 if it is not inside one. */
  int driverOf(int v) {
    return driver[v];
  }

  /**
   * The nodes inside the driving container {@code c} that may run, in spec order (not those the
   * run's targets do not need: they were skipped at its start); made once.
   */
  List<NodeSpec> subtree(int c) {
    List<NodeSpec> list = subtreeOf[c];
    if (list == null) {
      SpecGraph graph = SpecGraph.of(run.spec);
      List<NodeSpec> inside = new ArrayList<>(insideOf[c].length);
      for (int v : insideOf[c]) {
        if (!graph.notNeeded(v)) {
          inside.add(run.spec.nodes().get(v));
        }
      }
      list = List.copyOf(inside);
      subtreeOf[c] = list; // racy but safe: every thread makes the same immutable list
    }
    return list;
  }

  /** Runs {@code reattach} of driving container attempt {@code a}, whose reports count. */
  <T> T reattaching(Attempt a, Supplier<T> reattach) {
    reattaching = a;
    try {
      return reattach.get();
    } finally {
      reattaching = null;
    }
  }

  /**
   * Why node {@code v} of a run cannot be retried now, or null if it can: a node inside a
   * container whose executor still runs the subtree is that executor's; retry the container.
   */
  String refusesRetry(int v) {
    int c = driver[v];
    if (c >= 0 && !run.eval().state(c).isTerminal()) {
      return "it is inside container '" + run.id(c) + "', whose executor runs the whole"
          + " subtree; retry the container once it has ended";
    }
    return null;
  }

  /** Why node {@code v}'s config cannot change now, or null if it can. */
  String refusesConfig(int v) {
    int c = driver[v];
    if (c >= 0 && run.eval().state(c) != NodeState.WAITING
        && run.eval().state(c) != NodeState.READY && !run.eval().state(c).isTerminal()) {
      return "it is inside container '" + run.id(c) + "', whose executor has taken the"
          + " subtree with its config; update the container";
    }
    return null;
  }

  /**
   * The nodes inside driving container {@code c} that ended FAILED or TIMED_OUT: a retry of the
   * container re-opens them, since its executor runs them all again.
   */
  List<Integer> failedInside(int c) {
    List<Integer> failed = new ArrayList<>();
    for (int v : insideOf[c]) {
      NodeState s = run.eval().state(v);
      if (s == NodeState.FAILED || s == NodeState.TIMED_OUT) {
        failed.add(v);
      }
    }
    return failed;
  }

  /**
   * Whether the work of driving container {@code c}'s executor was cut short (a node inside
   * stopped), so that its end by its children must cancel it; clears the mark.
   */
  boolean takeInterrupted(int c) {
    boolean was = interrupted.get(c);
    interrupted.clear(c);
    return was;
  }

  /**
   * A node inside became READY: a container runs at once (it has nothing to set up here), a
   * task takes what was held for it.
   */
  void ready(int v) {
    if (run.spec.nodes().get(v).isContainer()) {
      run.eval().dispatched(v);
      if (run.eval().state(v) == NodeState.INITIALIZING) {
        run.eval().containerReady(v);
      }
      return;
    }
    Held h = held.remove(v);
    if (h != null) {
      apply(v, h);
    }
  }

  /** The container's executor reported something: it is RUNNING from now on. */
  void started(int c) {
    if (run.eval().state(c) == NodeState.INITIALIZING) {
      run.eval().containerReady(c);
    }
  }

  /** A report on node {@code v} from the executor of attempt {@code a} of its container. */
  void report(Attempt a, int v, Held report) {
    if (a.ended || run.running(a.node) != a && reattaching != a) {
      run.services.log(run, run.spec.nodes().get(v), run.nodes.attempt(v), LogLevel.INFO,
          "ignored a report (" + report + "): attempt " + a.number + " of container '"
              + run.id(a.node) + "' has ended");
      return;
    }
    started(a.node);
    apply(v, report);
  }

  private void apply(int v, Held report) {
    NodeState s = run.eval().state(v);
    if (s.isTerminal()) {
      run.services.log(run, run.spec.nodes().get(v), run.nodes.attempt(v), LogLevel.WARN,
          "ignored a report (" + report + "): the node has ended " + s);
      return;
    }
    if (s != NodeState.READY && s != NodeState.RUNNING) { // its gates are closed yet
      held.merge(v, report, Held::then);
      return;
    }
    if (s == NodeState.READY) {
      open(v);
    }
    if (report.engineRef != null) {
      AttemptRecord rec = open.get(v);
      if (rec.engineRef().isEmpty()) {
        open.put(v, rec.withEngineRef(report.engineRef));
        run.batch.attempt(open.get(v));
      }
    }
    if (report.progress >= 0 && run.nodes.progress(v, report.progress)) {
      run.markDirty(v);
    }
    if (report.result != null) {
      end(v, report.result);
    }
  }

  private void open(int v) {
    int number = run.nodes.nextAttempt(v);
    run.eval().dispatched(v);
    AttemptRecord rec = AttemptRecord.started(run.runId, run.id(v), number, run.now);
    open.put(v, rec);
    run.batch.attempt(rec);
    run.markDirty(v);
  }

  private void end(int v, NodeResult result) {
    AttemptRecord rec = open.remove(v);
    if (result.isSuccess()) {
      JsonNode value = result.result().orElse(NullNode.instance);
      run.recordEnded(v, rec.ended(run.now, AttemptOutcome.COMPLETED, value, null, null));
      run.nodes.completed(v, value);
      run.eval().completed(v, value);
      return;
    }
    String code = result.errorCode().orElseThrow();
    String message = run.secrets.scrub(result.errorMessage().orElseThrow());
    run.recordEnded(v, rec.ended(run.now, AttemptOutcome.FAILED, null, code, message));
    run.setError(v, code, message);
    run.eval().failed(v, code + ": " + message);
  }

  /**
   * The executor of driving container {@code c} ended, with a success or with the failure
   * {@code code}: {@code message}; its RUNNING container's subtree ends with it.
   */
  void ended(int c, String code, String message) {
    interrupted.clear(c);
    if (run.eval().state(c) != NodeState.RUNNING) {
      for (int v : insideOf[c]) {
        held.remove(v);
      }
      return; // it has no node inside, or they have all ended
    }
    boolean failed = code != null;
    String reason = failed ? code + ": " + message
        : "the executor of container '" + run.id(c) + "' ended without reporting its outcome";
    for (int v : insideOf[c]) {
      held.remove(v);
      NodeState s = run.eval().state(v);
      if (s == NodeState.READY && !run.spec.nodes().get(v).isContainer()) {
        open(v); // it could run and was never reported: it fails, it was not stopped
        s = NodeState.RUNNING;
      }
      if (s == NodeState.RUNNING && !run.spec.nodes().get(v).isContainer()) {
        run.setError(v, failed ? code : "NO_OUTCOME", failed ? message : reason);
      }
    }
    if (failed) {
      run.setError(c, code, message);
    }
    run.eval().subtreeEnded(c, failed, reason);
  }

  /** Node {@code v} ended {@code to} by the evaluation (stopped, or its subtree ended). */
  void nodeEnded(int v, NodeState to) {
    held.remove(v);
    if (to == NodeState.STOPPED && run.running(driver[v]) != null) {
      interrupted.set(driver[v]); // the executor still runs what was stopped here
    }
    AttemptRecord rec = open.remove(v);
    if (rec == null) {
      return;
    }
    AttemptOutcome outcome = switch (to) {
      case FAILED -> AttemptOutcome.FAILED;
      case TIMED_OUT -> AttemptOutcome.TIMED_OUT;
      default -> AttemptOutcome.STOPPED;
    };
    String code = outcome == AttemptOutcome.STOPPED ? "STOPPED" : run.nodes.errorCode(v);
    String message = outcome == AttemptOutcome.STOPPED ? "the node was stopped"
        : run.nodes.errorMessage(v);
    run.recordEnded(v, rec.ended(run.now, outcome, null, code, message));
  }

  /** Node {@code v} inside was stored RUNNING with attempt {@code rec}: it is open again. */
  void restored(int v, AttemptRecord rec) {
    open.put(v, rec);
  }

  /** A report on a node inside; several held for one node merge, the later winning. */
  static final class Held {
    final int progress;
    final String engineRef;
    final NodeResult result;

    Held(int progress, String engineRef, NodeResult result) {
      this.progress = progress;
      this.engineRef = engineRef;
      this.result = result;
    }

    static final Held RUNNING = new Held(-1, null, null);

    Held then(Held later) {
      return new Held(later.progress >= 0 ? later.progress : progress,
          engineRef != null ? engineRef : later.engineRef,
          later.result != null ? later.result : result);
    }

    @Override
    public String toString() {
      if (result != null) {
        return "ended " + result;
      }
      if (engineRef != null) {
        return "engine reference '" + engineRef + "'";
      }
      return progress >= 0 ? "progress " + progress + "%" : "running";
    }
  }
}
