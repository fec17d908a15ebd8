package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.testing.Outcome;
import dev.dagflow.testing.ScriptedExecutor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Live config updates: used at dispatch, forwarded while running, refused if unsupported. */
class ConfigUpdateTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static DagSpec scan() {
    return DagSpec.builder("scan")
        .node(NodeSpec.task("ports", "t").config(json("{\"rate\":100,\"ports\":\"1-1024\"}")))
        .node(NodeSpec.task("http", "t").dependsOn("ports")
            .config(json("{\"timeout\":5,\"paths\":[\"/\"]}")))
        .build();
  }

  @Test
  void anUpdateBeforeDispatchIsUsedByTheNode() {
    try (Harness h = new Harness("t")) {
      h.executor.script("ports", Outcome.succeed().after(Duration.ofSeconds(5)));
      String run = h.submit(scan());
      h.awaitCalls("ports", 1);

      h.engine.updateNodeConfig(run, "http", json("{\"timeout\":30,\"paths\":null}"), "dana");
      h.clock.advance(Duration.ofSeconds(5));
      h.await(run);

      assertThat(h.executor.calls("http")).singleElement()
          .satisfies(c -> assertThat(c.config()).isEqualTo(json("{\"timeout\":30}")));
      assertThat(h.engine.get(run).node("http").orElseThrow().config())
          .isEqualTo(json("{\"timeout\":30}"));
      assertThat(h.engine.history(run)).singleElement().satisfies(e -> {
        assertThat(e.action()).isEqualTo("node.config");
        assertThat(e.nodeId()).contains("http");
        assertThat(e.operator()).isEqualTo("dana");
        assertThat(e.oldValue()).isEqualTo(json("{\"timeout\":5,\"paths\":[\"/\"]}"));
        assertThat(e.newValue()).isEqualTo(json("{\"timeout\":30}"));
        assertThat(e.time()).isEqualTo(Harness.T0);
      });
    }
  }

  @Test
  void anUpdateWhileRunningIsForwardedToAnExecutorThatSupportsIt() {
    try (Harness h = new Harness(b -> { }, "t")) {
      h.executor.acceptLiveUpdates().script("ports", Outcome.succeed().after(Duration.ofSeconds(5)));
      String run = h.submit(scan());
      h.awaitCalls("ports", 1);

      h.engine.updateNodeConfig(run, "ports", json("{\"rate\":10}"), "erin");
      h.engine.updateNodeConfig(run, "ports", json("{\"rate\":20}"), "frank");

      assertThat(h.executor.updates()).extracting(ScriptedExecutor.Call::config).containsExactly(
          json("{\"rate\":10,\"ports\":\"1-1024\"}"), json("{\"rate\":20,\"ports\":\"1-1024\"}"));
      assertThat(h.engine.history(run)).extracting(HistoryEntry::operator)
          .containsExactly("erin", "frank");
      assertThat(h.engine.history(run).get(1).oldValue()).isEqualTo(
          json("{\"rate\":10,\"ports\":\"1-1024\"}"));
      h.clock.advance(Duration.ofSeconds(5));
      assertThat(h.await(run).node("ports").orElseThrow().state())
          .isEqualTo(NodeState.COMPLETED);
    }
  }

  @Test
  void anUpdateWhileRunningIsRefusedWhenTheExecutorCannotTakeIt() {
    try (Harness h = new Harness("t")) {
      h.executor.script("ports", Outcome.hang());
      String run = h.submit(scan());
      h.awaitCalls("ports", 1);

      assertThatThrownBy(() -> h.engine.updateNodeConfig(run, "ports", json("{\"rate\":1}"), "g"))
          .isInstanceOf(NodeOperationException.class)
          .hasMessageContaining("'ports'").hasMessageContaining("RUNNING")
          .hasMessageContaining("does not support live config updates");
      assertThat(h.engine.history(run)).isEmpty();
      assertThat(h.engine.get(run).node("ports").orElseThrow().config())
          .isEqualTo(json("{\"rate\":100,\"ports\":\"1-1024\"}"));
      h.engine.stop(run, "g");
    }
  }

  @Test
  void thePolicyDefaultConfigIsMergedUnderTheNodesOwn() {
    dev.dagflow.policy.ExecutionPolicy defaults = dev.dagflow.policy.ExecutionPolicy
        .builder("defaults").defaultConfig("t", json("{\"rate\":1,\"region\":\"eu\"}")).build();
    try (Harness h = new Harness(b -> b.engineDefaultPolicy(defaults), "t")) {
      String run = h.submit(scan());
      h.await(run);
      assertThat(h.executor.calls("ports").get(0).config())
          .isEqualTo(json("{\"rate\":100,\"region\":\"eu\",\"ports\":\"1-1024\"}"));
    }
  }
}
