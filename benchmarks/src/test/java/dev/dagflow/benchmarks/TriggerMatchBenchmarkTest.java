package dev.dagflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.benchmarks.TriggerMatchBenchmark.Impl;
import dev.dagflow.benchmarks.TriggerWorkload.Selectivity;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TriggerMatchBenchmarkTest {
  private static final int N = 20_000;

  @ParameterizedTest
  @EnumSource(Selectivity.class)
  void eachEventFiresAboutTheIntendedShareOfTriggers(Selectivity selectivity) {
    TriggerWorkload workload = TriggerWorkload.generate(N, selectivity, 42);
    TriggerMatchBenchmark.Peer linear = Impl.LINEAR.create(workload.triggers());
    long fired = 0;
    for (Event event : workload.events()) {
      fired += linear.match(event).size();
    }
    double share = (double) fired / workload.events().length / N;
    // 1% of all triggers (200 of 20,000), or 1% of the 400 of the event's type (4 of 20,000)
    double intended = selectivity == Selectivity.ONE_PERCENT_OF_ALL ? 0.01 : 0.0002;
    assertThat(share).isCloseTo(intended, within(intended * 0.15));
  }

  @ParameterizedTest
  @EnumSource(Selectivity.class)
  void triggersSpanFiftyTypesWithOneToFourKeysExactAndListValues(Selectivity selectivity) {
    List<EventTrigger> triggers = TriggerWorkload.generate(N, selectivity, 42).triggers();

    assertThat(triggers.stream().map(EventTrigger::eventType).distinct()).hasSize(50);
    Map<Integer, Long> byKeys = triggers.stream()
        .collect(Collectors.groupingBy(t -> t.filter().toJson().size(), Collectors.counting()));
    assertThat(byKeys.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4);
    byKeys.values().forEach(count -> assertThat(count).isBetween(N / 4L - N / 40, N / 4L + N / 40));
    List<JsonNode> conditions = triggers.stream()
        .flatMap(t -> t.filter().toJson().properties().stream().map(Map.Entry::getValue))
        .toList();
    assertThat(conditions).anyMatch(JsonNode::isArray).anyMatch(JsonNode::isValueNode);
  }

  @ParameterizedTest
  @EnumSource(Selectivity.class)
  void bothPeersFireTheSameTriggersInTheSameOrder(Selectivity selectivity) {
    TriggerWorkload workload = TriggerWorkload.generate(N, selectivity, 42);
    TriggerMatchBenchmark.Peer indexed = Impl.INDEXED.create(workload.triggers());
    TriggerMatchBenchmark.Peer linear = Impl.LINEAR.create(workload.triggers());
    for (Event event : workload.events()) {
      assertThat(indexed.match(event)).as("event %s", event.id())
          .containsExactlyElementsOf(linear.match(event));
    }
  }

  @ParameterizedTest
  @EnumSource(Impl.class)
  void theBenchmarkCyclesThroughTheEvents(Impl impl) {
    TriggerMatchBenchmark bench = new TriggerMatchBenchmark();
    bench.n = 2_000;
    bench.selectivity = Selectivity.ONE_PERCENT_OF_TYPE;
    bench.impl = impl;
    bench.setUp();
    long fired = 0;
    for (int i = 0; i < TriggerWorkload.EVENTS * 2; i++) {
      fired += bench.matchNext().size();
    }
    assertThat(fired).isPositive();
  }
}
