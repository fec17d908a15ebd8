package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.NodeTransitions;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.StoreException;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three engines share one set of in-memory stores, each through a {@link FaultyRunStore} of its
 * own, and run random DAGs while faults drawn from the seed hit them: a few failed applies on
 * one engine (retried, or dropping a run for the store to hand on), one engine's renewals
 * failing for a while (its runs taken over, its late writes fenced), perhaps one engine cut off
 * and closed mid-way; and operations (pause and resume, stop, retry of a failed node) sent
 * through a random live engine, applied there or as commands on the owner. Every run must end
 * consistently: no attempt executed twice, no node run more often than its attempts on record,
 * every node's trail a legal path recorded once, every operation that returned recorded once,
 * and no ended run left with a lease. Seeded: the specs, what each attempt does, the faults and
 * the operations come from the seed, printed in every failure and replayed with
 * {@code -Ddagflow.chaos.seed=<seed>} (the threads' interleaving is the machine's).
 */
class MultiEngineChaosTest {
  private static final long SEED = Long.getLong("dagflow.chaos.seed", 20261207L);
  private static final Duration LEASE = Duration.ofMillis(450);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int ENGINES = 3;
  private static final int RUNS = 30;
  private static final int OPERATIONS = 80;
  /** Attempts of a node drawn from the seed; later ones succeed. */
  private static final int DRAWN_ATTEMPTS = 8;
  private static final String[] NAMES = {"engine-a", "engine-b", "engine-c"};

  private static DagSpec randomSpec(Random random, int index) {
    DagSpec.Builder b = DagSpec.builder("chaos-" + index);
    int n = 10 + random.nextInt(21);
    for (int v = 0; v < n; v++) {
      NodeSpec.Builder node = NodeSpec.task("n" + v, "chaos");
      RandomSpecs.dependOnEarlier(random, node, v);
      RandomSpecs.maybeRetried(random, node);
      b.node(node);
    }
    return b.build();
  }


  /** A transition as the store keeps it: its time to the millisecond. */
  private static String key(StateTransition t) {
    return t.nodeId() + "#" + t.attempt() + " " + t.from() + " -> " + t.to() + " " + t.reason()
        + " " + t.time().truncatedTo(ChronoUnit.MILLIS);
  }

  private static long count(List<HistoryEntry> history, String action) {
    return history.stream().filter(h -> h.action().equals(action)).count();
  }

  /** The calls that returned normally, by run. */
  private static final class Tally {
    final Map<String, Integer> byRun = new HashMap<>();

    void add(String run) {
      byRun.merge(run, 1, Integer::sum);
    }

    int of(String run) {
      return byRun.getOrDefault(run, 0);
    }

    int total() {
      return byRun.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  @Test
  void everyRunEndsConsistentlyUnderStoreFaultsTakeoversAndRemoteOperations()
      throws Exception {
    Random random = new Random(SEED);
    Stores shared = Stores.inMemory();
    List<int[][]> rollsBySpec = new CopyOnWriteArrayList<>();
    Map<String, String> executedBy = new ConcurrentHashMap<>();
    List<String> repeatedKeys = new CopyOnWriteArrayList<>();
    Map<String, AtomicInteger> executionsPerNode = new ConcurrentHashMap<>();
    // some attempts hold their worker until the faults and operations are done
    CountDownLatch released = new CountDownLatch(1);
    List<FaultyRunStore> wrappers = new ArrayList<>();
    List<DagEngine> engines = new ArrayList<>();
    for (int i = 0; i < ENGINES; i++) {
      String name = NAMES[i];
      TaskHandler chaos = ctx -> {
        if (executedBy.putIfAbsent(ctx.idempotencyKey(), name) != null) {
          repeatedKeys.add(ctx.idempotencyKey() + " (again on " + name + ")");
        }
        executionsPerNode.computeIfAbsent(ctx.runId() + "/" + ctx.nodeId(),
            k -> new AtomicInteger()).incrementAndGet();
        int[] node = rollsBySpec.get(ctx.params().path("index").asInt())[
            Integer.parseInt(ctx.nodeId().substring(1))];
        int roll = ctx.attempt() <= DRAWN_ATTEMPTS ? node[ctx.attempt() - 1] : 9;
        if (roll == 0) {
          throw new NodeFailureException("E_CHAOS", "chaos");
        }
        if (roll == 1 && !released.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
        return null;
      };
      FaultyRunStore runs = new FaultyRunStore(shared.runs());
      wrappers.add(runs);
      DagEngine engine = DagEngine.builder().instanceId(name)
          .stores(Stores.of(runs, shared.logs(), shared.policies(), shared.templates(),
              shared.triggers()))
          .leaseTime(LEASE).commandInterval(Duration.ofMillis(25))
          .commandTimeout(Duration.ofSeconds(2)).storeRetry(2, Duration.ofMillis(1),
              Duration.ofMillis(4))
          .workersPerScope(3).shutdownTimeout(Duration.ofSeconds(2))
          .random(new Random(SEED + i)).handler("chaos", chaos).build();
      engine.start();
      engines.add(engine);
    }
    // the faults, from the seed: when (before which operation) and on which engine
    int appliesAt = random.nextInt(OPERATIONS / 2);
    int appliesOn = random.nextInt(ENGINES);
    int appliesFailing = 1 + random.nextInt(4); // 3 or more: a run is dropped
    int renewalsAt = random.nextInt(OPERATIONS / 2);
    int renewalsOn = random.nextInt(ENGINES);
    int renewalsFailing = 4 + random.nextInt(3); // a renewal every lease/3: the leases run out
    boolean cut = random.nextInt(4) != 0;
    int cutAt = OPERATIONS / 3 + random.nextInt(OPERATIONS / 3);
    int cutOn = random.nextInt(ENGINES);
    String plan = "seed " + SEED + ": " + appliesFailing + " applies fail on " + NAMES[appliesOn]
        + " at operation " + appliesAt + ", " + renewalsFailing + " renewals fail on "
        + NAMES[renewalsOn] + " at operation " + renewalsAt
        + (cut ? ", " + NAMES[cutOn] + " cut off at operation " + cutAt : ", no cut");
    Set<Integer> live = new HashSet<>(Set.of(0, 1, 2));
    try {
      List<String> runIds = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        DagSpec spec = randomSpec(random, i);
        // before the submit: its nodes start at once
        rollsBySpec.add(RandomSpecs.rolls(random, spec, DRAWN_ATTEMPTS));
        runIds.add(engines.get(i % ENGINES).submit(spec,
            JsonNodeFactory.instance.objectNode().put("index", i)));
      }
      Tally stops = new Tally();
      Tally pauses = new Tally();
      Tally resumes = new Tally();
      Tally retries = new Tally();
      Map<String, Integer> refusals = new HashMap<>();
      List<String> unexpected = new ArrayList<>();
      Map<String, List<String>> trace = new HashMap<>();
      for (int op = 0; op < OPERATIONS; op++) {
        if (op == appliesAt) {
          wrappers.get(appliesOn).failNextApplies(appliesFailing);
        }
        if (op == renewalsAt) {
          wrappers.get(renewalsOn).failNextRenewals(renewalsFailing);
        }
        if (cut && op == cutAt) {
          wrappers.get(cutOn).cutOff();
          live.remove(cutOn);
          engines.get(cutOn).close(); // releasing its leases fails: they run out
        }
        String run = runIds.get(random.nextInt(runIds.size()));
        int via = random.nextInt(ENGINES);
        int kind = random.nextInt(6);
        int via2 = random.nextInt(ENGINES);
        while (!live.contains(via)) {
          via = (via + 1) % ENGINES;
        }
        while (!live.contains(via2)) {
          via2 = (via2 + 1) % ENGINES;
        }
        DagEngine engine = engines.get(via);
        String call = "operation " + op + " via " + NAMES[via] + "/" + NAMES[via2] + ": ";
        try {
          switch (kind) {
            case 0, 1 -> {
              engine.pause(run, "chaos-pause-" + op);
              pauses.add(run);
              trace.computeIfAbsent(run, r -> new ArrayList<>()).add(call + "paused");
              engines.get(via2).resume(run, "chaos-resume-" + op);
              resumes.add(run);
              trace.get(run).add(call + "resumed");
            }
            case 2 -> {
              engine.stop(run, "chaos-stop-" + op);
              stops.add(run);
            }
            case 3, 4 -> {
              RunView view = engine.get(run);
              String failed = view.nodes().stream().filter(n -> n.state() == NodeState.FAILED
                  || n.state() == NodeState.TIMED_OUT).map(NodeView::id).findFirst().orElse(null);
              if (failed != null) {
                engine.retry(run, failed, "chaos-retry-" + op);
                retries.add(run);
              }
            }
            default -> engine.get(run); // a read among the writes
          }
        } catch (RunStateException | NodeOperationException | UnknownNodeException
            | CommandTimeoutException | StoreException e) {
          refusals.merge(e.getClass().getSimpleName(), 1, Integer::sum);
          trace.computeIfAbsent(run, r -> new ArrayList<>()).add(call + e);
        } catch (RuntimeException e) {
          unexpected.add("operation " + op + " on " + run + " via " + NAMES[via] + ": " + e);
        }
      }
      String done = plan + "; applied " + stops.total() + " stops, " + pauses.total()
          + " pauses, " + retries.total() + " retries; refused " + refusals;
      assertThat(unexpected).as(done).isEmpty();
      CountDownLatch healed = wrappers.get(renewalsOn).renewalsHealed();
      if (live.contains(renewalsOn)) {
        assertThat(healed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as(done).isTrue();
      }
      released.countDown();
      DagEngine survivor = engines.get(live.iterator().next());
      // a pause whose resume was refused (the run dropped meanwhile, the command timed out)
      for (String run : runIds) {
        for (int tries = 0; tries < 5
            && shared.runs().run(run).orElseThrow().state() == RunState.PAUSED; tries++) {
          // through any live engine: one whose lease was taken over unnoticed (its renewals
          // failing) asks the store before it answers, so it never refuses from a stale copy
          try {
            survivor.resume(run, "chaos-cleanup");
            resumes.add(run);
            trace.computeIfAbsent(run, r -> new ArrayList<>()).add("cleanup: resumed");
          } catch (RunStateException | CommandTimeoutException | StoreException e) {
            trace.computeIfAbsent(run, r -> new ArrayList<>()).add("cleanup: " + e);
          }
        }
      }
      for (String run : runIds) {
        RunView view;
        try {
          view = survivor.await(run, WAIT);
        } catch (TimeoutException e) {
          throw new AssertionError(done + ": run " + run + " has not ended: "
              + stuck(shared, run) + "; operations " + trace.get(run), e);
        }
        checkRun(shared, view, executionsPerNode, done + ", run " + run);
        List<HistoryEntry> history = shared.runs().history(run);
        String where = done + ", run " + run;
        assertThat(count(history, "run.stop")).as(where + ": stops recorded")
            .isEqualTo(stops.of(run));
        assertThat(count(history, "run.pause")).as(where + ": pauses recorded")
            .isEqualTo(pauses.of(run));
        assertThat(count(history, "run.resume")).as(where + ": resumes recorded")
            .isEqualTo(resumes.of(run));
        assertThat(count(history, "node.retry")).as(where + ": retries recorded")
            .isEqualTo(retries.of(run));
        assertThat(shared.runs().lease(run)).as(where + ": an ended run is nobody's").isEmpty();
      }
      assertThat(repeatedKeys).as(done + ": attempts executed twice").isEmpty();
      System.out.println("MultiEngineChaosTest " + done + "; injected failures "
          + wrappers.stream().map(FaultyRunStore::failures).toList());
    } finally {
      for (int i : live) {
        engines.get(i).close();
      }
    }
  }

  /** What the store has of a run that did not end, for the failure message. */
  private static String stuck(Stores shared, String run) {
    StringBuilder b = new StringBuilder();
    b.append(shared.runs().run(run).orElseThrow().state()).append(", lease ")
        .append(shared.runs().lease(run)).append(", not ended ");
    shared.runs().nodes(run).stream().filter(n -> !n.state().isTerminal())
        .forEach(n -> b.append(n).append("; "));
    b.append("history ");
    shared.runs().history(run).forEach(h -> b.append(h.action()).append(' ')
        .append(h.operator()).append(", "));
    List<StateTransition> transitions = shared.runs().transitions(run);
    b.append("last transitions ").append(
        transitions.subList(Math.max(0, transitions.size() - 8), transitions.size()));
    return b.toString();
  }

  private static void checkRun(Stores shared, RunView view,
      Map<String, AtomicInteger> executionsPerNode, String where) {
    assertThat(view.state().isTerminal()).as(where + ": " + view.state()).isTrue();
    assertThat(view.nodes()).as(where).allSatisfy(n ->
        assertThat(n.state().isTerminal()).as(where + " node " + n.id()).isTrue());
    boolean failed = view.nodes().stream().anyMatch(n -> n.state() == NodeState.FAILED
        || n.state() == NodeState.TIMED_OUT);
    boolean stopped = view.nodes().stream().anyMatch(n -> n.state() == NodeState.STOPPED);
    if (view.state() == RunState.COMPLETED) {
      assertThat(failed || stopped).as(where + ": COMPLETED with a node that did not")
          .isFalse();
    } else if (view.state() == RunState.FAILED) {
      assertThat(failed).as(where + ": FAILED without a failed node").isTrue();
    }
    List<StateTransition> transitions = shared.runs().transitions(view.runId());
    Set<String> seen = new HashSet<>();
    for (StateTransition t : transitions) {
      assertThat(seen.add(key(t))).as(where + ": transition recorded twice: " + t).isTrue();
    }
    for (NodeView node : view.nodes()) {
      String at = where + " node " + node.id();
      assertThat(node.attempts()).as(at).allSatisfy(a ->
          assertThat(a.outcome().isEnded()).as(at + " attempt " + a.attempt()).isTrue());
      int ran = executionsPerNode.getOrDefault(view.runId() + "/" + node.id(),
          new AtomicInteger()).get();
      assertThat(ran).as(at + ": executions, attempts " + node.attempts())
          .isLessThanOrEqualTo(node.attempts().size());
      NodeState state = NodeState.PENDING;
      for (StateTransition t : transitions) {
        if (t.nodeId().equals(node.id())) {
          assertThat(t.from()).as(at + ": trail broken at " + t).isEqualTo(state);
          assertThat(NodeTransitions.isLegal(node.kind(), t.from(), t.to()))
              .as(at + ": illegal " + t).isTrue();
          state = t.to();
        }
      }
      assertThat(state).as(at + ": the trail ends in the node's state").isEqualTo(node.state());
    }
  }
}
