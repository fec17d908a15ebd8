package dev.dagflow.engine;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Engines on one manual clock and one set of stores, each with the template {@code scan} (one
 * task of type {@code t}, run by {@code handler}), for the schedule tests; closes them all.
 */
final class ScheduleHarness implements AutoCloseable {
  final ManualClock clock;
  final Stores stores;
  private final List<DagEngine> engines = new ArrayList<>();

  ScheduleHarness(Instant start, Stores stores) {
    this.clock = new ManualClock(start);
    this.stores = stores;
  }

  ScheduleHarness(Instant start) {
    this(start, Stores.inMemory());
  }

  /** A started engine named {@code name}, whose task {@code t} runs {@code handler}. */
  DagEngine engine(String name, TaskHandler handler) {
    DagEngine engine = DagEngine.builder().instanceId(name).timeSource(clock).stores(stores)
        .handler("t", handler).build();
    if (stores.templates().latest("scan").isEmpty()) {
      engine.templates().save("scan", Optional.empty(),
          DagSpec.builder("scan").node(NodeSpec.task("x", "t")).build());
    }
    engine.start();
    engines.add(engine);
    return engine;
  }

  DagEngine engine(String name) {
    return engine(name, ctx -> null);
  }

  /** The fire times of the runs schedule {@code id} started, from their start keys, in order. */
  List<Instant> fireTimes(String id) {
    String prefix = "schedule:" + id + "/";
    return stores.runs().list(RunQuery.all().startKeyPrefix(prefix)
        .page(0, RunQuery.MAX_PAGE_SIZE)).items().stream().map(RunSummary::startKey)
        .map(k -> Instant.ofEpochMilli(Long.parseLong(k.orElseThrow().substring(prefix.length()))))
        .sorted(Comparator.naturalOrder()).toList();
  }

  /** The runs schedule {@code id} started, the oldest first. */
  List<RunSummary> runs(String id) {
    List<RunSummary> runs = new ArrayList<>(stores.runs().list(RunQuery.all()
        .startKeyPrefix("schedule:" + id + "/").page(0, RunQuery.MAX_PAGE_SIZE)).items());
    runs.sort(Comparator.comparing(RunSummary::createdAt).thenComparing(RunSummary::runId));
    return runs;
  }

  /** Every instant from {@code first} to {@code last}, {@code minutes} apart. */
  static List<Instant> every(int minutes, Instant first, Instant last) {
    List<Instant> out = new ArrayList<>();
    for (Instant t = first; !t.isAfter(last); t = t.plusSeconds(60L * minutes)) {
      out.add(t);
    }
    return out;
  }

  @Override
  public void close() {
    engines.forEach(DagEngine::close);
  }
}
