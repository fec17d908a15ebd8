package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.RunQuery;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What a durable store could not write and read back never gets in: bad run parameters are
 * refused at submit naming {@code params} and the path, a bad result fails its attempt.
 */
class ParamsAndResultsValidationTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static ObjectNode nested(int levels) {
    ObjectNode top = JSON.objectNode();
    ObjectNode at = top;
    for (int i = 1; i < levels; i++) {
      at = at.putObject("x");
    }
    return top;
  }

  private static DagSpec oneNode(String taskType) {
    return DagSpec.builder("d").node(NodeSpec.task("a", taskType)
        .retry(RetryPolicy.builder().maxAttempts(3).build())).build();
  }

  @Test
  void badParamsAreRefusedAtSubmitNamingTheirPlace() throws Exception {
    try (DagEngine engine = DagEngine.builder().handler("t", ctx -> null).build()) {
      engine.start();
      ObjectNode nan = JSON.objectNode();
      nan.putObject("limits").put("ratio", Double.NaN);
      ObjectNode infinite = JSON.objectNode();
      infinite.putArray("xs").add(1).add(Double.POSITIVE_INFINITY);
      ObjectNode pojo = JSON.objectNode().putPOJO("thing", new Object());
      ObjectNode deep = JSON.objectNode();
      deep.set("x", nested(999)); // params sit 1 level down: {"params": …}

      assertThat(refused(engine, nan).path()).isEqualTo("params.limits.ratio");
      assertThat(refused(engine, nan).problem()).isEqualTo("is not a finite number: NaN");
      assertThat(refused(engine, infinite).path()).isEqualTo("params.xs[1]");
      assertThat(refused(engine, pojo).path()).isEqualTo("params.thing");
      assertThat(refused(engine, deep).getMessage())
          .isEqualTo("params: nests more than 999 levels deep; a document may nest 1000 levels"
              + " and this value sits 1 down");
      assertThat(engine.list(RunQuery.all()).total()).as("nothing stored").isZero();

      String ok = engine.submit(oneNode("t"), nested(999));
      assertThat(engine.await(ok, WAIT).state()).isEqualTo(RunState.COMPLETED);
    }
  }

  private static InvalidJsonException refused(DagEngine engine, ObjectNode params) {
    InvalidJsonException e = catchThrowableOfType(InvalidJsonException.class,
        () -> engine.submit(oneNode("t"), params));
    assertThat(e).as("submit refused %s", params).isNotNull();
    return e;
  }

  @Test
  void aResultThatCannotBeStoredFailsTheNodeWithInvalidResult() {
    assertInvalidResult(() -> JSON.objectNode().put("score", Double.NaN), "result.score",
        "is not a finite number: NaN");
    assertInvalidResult(() -> JSON.objectNode().putPOJO("conn", new Object()), "result.conn",
        "is not a JSON value but a pojo node");
    assertInvalidResult(() -> nested(1000), "result", "nests more than 999 levels deep");
    assertInvalidResult(() -> JSON.arrayNode().add(JSON.missingNode()), "result[0]",
        "is a MissingNode");
  }

  private static void assertInvalidResult(Supplier<JsonNode> result, String path,
      String problem) {
    AtomicInteger calls = new AtomicInteger();
    try (DagEngine engine = DagEngine.builder().handler("bad", ctx -> {
      calls.incrementAndGet();
      return result.get();
    }).build()) {
      engine.start();
      RunView run = engine.await(engine.submit(oneNode("bad")), WAIT);
      NodeView node = run.node("a").orElseThrow();
      assertThat(run.state()).isEqualTo(RunState.FAILED);
      assertThat(node.state()).isEqualTo(NodeState.FAILED);
      assertThat(node.result()).isEmpty();
      assertThat(node.errorCode()).contains("INVALID_RESULT");
      assertThat(node.errorMessage().orElseThrow())
          .startsWith("executor of task type 'bad' returned a result that cannot be stored: "
              + path + ": " + problem);
      assertThat(calls).as("permanent: the same executor would return it again").hasValue(1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anAcceptedResultIsACanonicalCopyTheExecutorCannotChange() throws Exception {
    ObjectNode kept = JSON.objectNode().put("n", 5L);
    try (DagEngine engine = DagEngine.builder().handler("t", ctx -> kept).build()) {
      engine.start();
      RunView run = engine.await(engine.submit(oneNode("t")), WAIT);
      kept.put("n", 6);
      JsonNode stored = run.node("a").orElseThrow().result().orElseThrow();
      assertThat(stored).isEqualTo(JSON.objectNode().put("n", 5)); // an int node, as text reads
      assertThat(engine.get(run.runId()).node("a").orElseThrow().result())
          .contains(JSON.objectNode().put("n", 5));
    }
  }
}
