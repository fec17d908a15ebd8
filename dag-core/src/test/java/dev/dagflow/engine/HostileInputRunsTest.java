package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.JsonLimits;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.InvalidDagException;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.InvalidEventException;
import dev.dagflow.trigger.TriggerFiring;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What an attacker controls (a regex in an activation condition, a huge event payload) cannot
 * hang {@code submit}, {@code emit} or {@code close}: each returns, and fast.
 */
class HostileInputRunsTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static NodeSpec.Builder activatedBy(String id, String regex) {
    ObjectNode activation = JSON.objectNode();
    activation.putObject("params.s").put("$regex", regex);
    return NodeSpec.task(id, "t").activation(activation);
  }

  @Test
  void aCatastrophicActivationPatternCannotHangSubmitOrClose() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    DagEngine engine = DagEngine.builder().handler("t", ctx -> {
      ran.incrementAndGet();
      return null;
    }).build();
    engine.start();
    DagSpec spec = DagSpec.builder("evil")
        .node(activatedBy("lazy_alternation", "^(a|a)*?$"))
        .node(activatedBy("nested_plus", "((a+)+)+$"))
        .node(activatedBy("nested_counts", "(a{1,10}){1,10}$"))
        .node(activatedBy("commas", "(.*?,){11}P"))
        .node(activatedBy("plain", "^a+!$"))
        .build();
    ObjectNode params = JSON.objectNode().put("s", "a".repeat(40) + "!");

    String run = CompletableFuture.supplyAsync(() -> engine.submit(spec, params))
        .get(5, TimeUnit.SECONDS);
    RunView view = engine.await(run, WAIT);

    // RE2 answers as the patterns say: only "plain" matches a string ending in "!"
    assertThat(view.state()).isEqualTo(RunState.COMPLETED);
    for (String skipped : List.of("lazy_alternation", "nested_plus", "nested_counts",
        "commas")) {
      assertThat(view.node(skipped).orElseThrow().state()).as(skipped)
          .isEqualTo(NodeState.SKIPPED);
    }
    assertThat(view.node("plain").orElseThrow().state()).isEqualTo(NodeState.COMPLETED);
    assertThat(ran).hasValue(1);
    CompletableFuture.runAsync(engine::close).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPatternRe2CannotRunIsRefusedWhenTheSpecIsBuilt() {
    InvalidDagException e = catchThrowableOfType(InvalidDagException.class,
        () -> DagSpec.builder("d").node(activatedBy("a", "^(a+)\\1$")).build());
    SpecProblem p = e.problems().get(0);
    assertThat(p.kind()).isEqualTo(SpecProblem.Kind.INVALID_FILTER);
    assertThat(p.path()).contains("activation").contains("params.s.$regex");
    assertThat(p.message()).contains("backreferences (\\1) are not supported");
  }

  @Test
  void emitOfAMebibytePayloadWithAHugeNumberTakesLinearTime() throws Exception {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.empty(),
          DagSpec.builder("scan").node(NodeSpec.task("a", "t")).build());
      BigInteger largest = BigInteger.TEN.pow(999); // 1,000 digits: the most accepted
      h.engine.triggers().save(EventTrigger.builder("by-value").eventType("big")
          .filter("{\"payload.n\": {\"$gt\": 1e998}}").template("scan").build());
      h.engine.triggers().save(EventTrigger.builder("by-key").eventType("big")
          .filter(JSON.objectNode().put("payload.n", largest)).template("scan").build());

      // beyond the limit: refused at once, however large the number
      ObjectNode huge = JSON.objectNode().put("pad", "x".repeat(800_000))
          .put("n", BigInteger.TEN.pow(200_000));
      long start = System.nanoTime();
      assertThatThrownBy(() -> h.engine.emit(Event.builder("big").payload(huge).build()))
          .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("payload.n: ");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));

      // within it, near 1 MiB: matched and started well under a second
      ObjectNode big = JSON.objectNode().put("pad", "x".repeat(Event.MAX_PAYLOAD_BYTES - 2_000))
          .put("n", largest);
      start = System.nanoTime();
      List<TriggerFiring> firings = h.engine.emit(Event.builder("big").payload(big).build());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(firings).hasSize(2)
          .allSatisfy(f -> assertThat(f.outcome()).isEqualTo(TriggerFiring.Outcome.STARTED));

      // as text, a host parsing with the public limits refuses the number before dagflow
      JsonMapper host = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(JsonLimits.readConstraints()).build()).build();
      String text = "{\"pad\": \"" + "x".repeat(800_000) + "\", \"n\": 1" + "0".repeat(200_000)
          + "}";
      start = System.nanoTime();
      assertThatThrownBy(() -> host.readTree(text)).isInstanceOf(StreamConstraintsException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    }
  }
}
