package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What an attacker controls (a regex in an activation condition, a huge event payload) cannot
 * hang {@code submit}, {@code emit} or {@code close}: each returns, in time linear in its input.
 */
class HostileInputRunsTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** Far beyond what linear work takes, far below what a quadratic one did (12.9 s). */
  private static final Duration HANG_GUARD = Duration.ofSeconds(5);
  /** Timing noise of a shared 2-core machine, against which small times cannot be compared. */
  private static final Duration SLACK = Duration.ofMillis(100);
  /** 1,000 digits: the most accepted. */
  private static final BigInteger LARGEST = BigInteger.TEN.pow(999);

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
  void emitOfAPayloadNearAMebibyteWithHugeNumbersTakesLinearTime() throws Exception {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.empty(),
          DagSpec.builder("scan").node(NodeSpec.task("a", "t")).build());
      h.engine.triggers().save(EventTrigger.builder("by-value").eventType("big")
          .filter("{\"payload.n\": {\"$gt\": 1e998}}").template("scan").build());
      h.engine.triggers().save(EventTrigger.builder("by-key").eventType("big")
          .filter(JSON.objectNode().put("payload.n", LARGEST)).template("scan").build());
      h.engine.emit(Event.builder("big").payload(payload(10)).build()); // warm-up

      // within the limits: 4 times the numbers and text cost about 4 times the time, and an
      // event near 1 MiB (800 KB here) matches both triggers and starts their runs
      ObjectNode n = payload(100);
      ObjectNode fourN = payload(400);
      assertLinear("emit", () -> h.engine.emit(Event.builder("big").payload(n).build()),
          () -> h.engine.emit(Event.builder("big").payload(fourN).build()));
      List<TriggerFiring> firings = h.engine.emit(Event.builder("big").payload(fourN).build());
      assertThat(firings).hasSize(2)
          .allSatisfy(f -> assertThat(f.outcome()).isEqualTo(TriggerFiring.Outcome.STARTED));

      // beyond the limit: refused without the work a number of that size would cost
      ObjectNode huge = hugeNumber(50_000);
      ObjectNode fourTimesHuge = hugeNumber(200_000);
      assertThatThrownBy(() -> Event.builder("big").payload(fourTimesHuge))
          .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("payload.n: ");
      assertLinear("refusing a huge number", () -> refused(huge), () -> refused(fourTimesHuge));

      // as text, a host parsing with the public limits refuses the number before dagflow
      JsonMapper host = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(JsonLimits.readConstraints()).build()).build();
      assertThatThrownBy(() -> host.readTree(hugeText(200_000)))
          .isInstanceOf(StreamConstraintsException.class);
      String small = hugeText(50_000);
      String large = hugeText(200_000);
      assertLinear("a host refusing a huge number", () -> hostRefuses(host, small),
          () -> hostRefuses(host, large));
    }
  }

  /** {@code k} numbers of 1,000 digits and {@code k} KB of text, about {@code 2k} KB. */
  private static ObjectNode payload(int k) {
    ObjectNode p = JSON.objectNode().put("pad", "x".repeat(k * 1000)).put("n", LARGEST);
    ArrayNode numbers = p.putArray("numbers");
    for (int i = 0; i < k; i++) {
      numbers.add(LARGEST.subtract(BigInteger.valueOf(i)));
    }
    return p;
  }

  private static ObjectNode hugeNumber(int digits) {
    return JSON.objectNode().put("pad", "x".repeat(digits * 4))
        .put("n", BigInteger.TEN.pow(digits));
  }

  private static String hugeText(int digits) {
    return "{\"pad\": \"" + "x".repeat(digits * 4) + "\", \"n\": 1" + "0".repeat(digits) + "}";
  }

  private static Object refused(ObjectNode payload) {
    return catchThrowableOfType(InvalidEventException.class,
        () -> Event.builder("big").payload(payload));
  }

  private static Object hostRefuses(JsonMapper host, String text) {
    return catchThrowableOfType(StreamConstraintsException.class, () -> host.readTree(text));
  }

  /**
   * Asserts that {@code large}, 4 times the input of {@code small}, takes well under the 16
   * times a quadratic cost would: at most 12 times, plus slack for a loaded machine. Each is
   * timed at its fastest of three runs (the one least disturbed by other work); every run must
   * end within a hang guard of a few seconds.
   */
  private static void assertLinear(String what, Callable<?> small, Callable<?> large)
      throws Exception {
    long n = fastest(small);
    long fourN = fastest(large);
    assertThat(fourN).as("%s: %s ms at N, %s ms at 4N", what, n / 1e6, fourN / 1e6)
        .isLessThan(12 * n + SLACK.toNanos());
  }

  private static long fastest(Callable<?> call) throws Exception {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      call.call();
      long took = System.nanoTime() - start;
      assertThat(Duration.ofNanos(took)).as("one call").isLessThan(HANG_GUARD);
      best = Math.min(best, took);
    }
    return best;
  }
}
