package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.dagflow.json.JsonLimits;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.trigger.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A result a run may store can be too large or too deep for an event's payload: the engine's
 * events then leave it out and say so, and the run goes on (it used to stop where the event was
 * built, under the run's lock, whenever a listener or trigger could hear it).
 */
class OversizeEngineEventsTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static List<Event> runWithResult(JsonNode result) throws Exception {
    List<Event> events = new CopyOnWriteArrayList<>();
    DagSpec spec = DagSpec.builder("big")
        .node(NodeSpec.task("a", "produce"))
        .node(NodeSpec.task("b", "consume").dependsOn("a"))
        .build();
    try (DagEngine engine = DagEngine.builder()
        .handler("produce", ctx -> result)
        .handler("consume", ctx -> TextNode.valueOf("ok"))
        .listener(new EngineListener() {
          @Override
          public void onEvent(Event event) {
            events.add(event);
          }
        })
        .build()) {
      engine.start();
      RunView run = engine.await(engine.submit(spec), Duration.ofSeconds(20));
      assertThat(run.state()).isEqualTo(RunState.COMPLETED);
      assertThat(run.node("a").orElseThrow().result()).contains(result);
    }
    return events;
  }

  private static Event completed(List<Event> events, String nodeId) {
    return events.stream().filter(e -> e.type().equals("node.completed"))
        .filter(e -> e.payload().path("nodeId").asText().equals(nodeId))
        .findFirst().orElseThrow();
  }

  @Test
  void aResultOverAMebibyteIsLeftOutOfItsEvent() throws Exception {
    JsonNode big = TextNode.valueOf("x".repeat(Event.MAX_PAYLOAD_BYTES + 1));

    List<Event> events = runWithResult(big);

    Event a = completed(events, "a");
    assertThat(a.payload().has("result")).isFalse();
    assertThat(a.payload().path("truncated").asBoolean()).isTrue();
    assertThat(completed(events, "b").payload().path("result").asText()).isEqualTo("ok");
    assertThat(events).anySatisfy(e -> assertThat(e.type()).isEqualTo("run.completed"));
  }

  @Test
  void aResultAsDeepAsARunAllowsIsLeftOutOfItsEvent() throws Exception {
    JsonNode deep = TextNode.valueOf("leaf");
    for (int i = 0; i < JsonLimits.MAX_DEPTH - 1; i++) { // at the limit in {"result": …}
      deep = JSON.arrayNode().add(deep);
    }

    List<Event> events = runWithResult(deep);

    assertThat(completed(events, "a").payload().path("truncated").asBoolean()).isTrue();
    assertThat(completed(events, "b").payload().has("truncated")).isFalse();
  }
}
