package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dagflow.spec.SpecProblem.Kind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationTest {

  private static InvalidDagException invalid(DagSpec.Builder dag) {
    return catchThrowableOfType(InvalidDagException.class, dag::build);
  }

  private static SpecProblem only(InvalidDagException e) {
    assertThat(e).as("expected an InvalidDagException").isNotNull();
    assertThat(e.problems()).hasSize(1);
    return e.problems().get(0);
  }

  private static void assertProblem(SpecProblem p, Kind kind, String nodeId, String... words) {
    assertThat(p.kind()).isEqualTo(kind);
    if (nodeId == null) {
      assertThat(p.nodeId()).isEmpty();
    } else {
      assertThat(p.nodeId()).contains(nodeId);
      assertThat(p.toString()).contains("node '" + nodeId + "'");
    }
    assertThat(p.message()).contains(words);
  }

  @Test
  void duplicateNodeId() {
    InvalidDagException e = invalid(DagSpec.builder("d")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("a", "t")));
    SpecProblem p = only(e);
    assertProblem(p, Kind.DUPLICATE_NODE, "a", "duplicate node id 'a'", "nodes[0]");
    assertThat(p.path()).isEqualTo("nodes[1].id");
    assertThat(e.getMessage()).contains("invalid DAG 'd'", "node 'a'");
  }

  @Test
  void edgeToUnknownNode() {
    SpecProblem p = only(invalid(DagSpec.builder("d")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a", "ghost"))));
    assertProblem(p, Kind.UNKNOWN_UPSTREAM, "b", "unknown node 'ghost'");
    assertThat(p.path()).isEqualTo("nodes[1].dependsOn[1]");
  }

  @Test
  void selfEdge() {
    assertProblem(only(invalid(DagSpec.builder("d").node(NodeSpec.task("a", "t").dependsOn("a")))),
        Kind.SELF_EDGE, "a", "itself");
  }

  @Test
  void sameEdgeTwice() {
    assertProblem(only(invalid(DagSpec.builder("d")
            .node(NodeSpec.task("a", "t"))
            .node(NodeSpec.task("b", "t").dependsOn("a").dependsOn("a", EdgeType.FAILURE).dependsOn("a")))),
        Kind.DUPLICATE_EDGE, "b", "'a'", "SUCCESS", "twice");
  }

  @Test
  void cycleIsReportedWithItsPath() {
    SpecProblem p = only(invalid(DagSpec.builder("d")
        .node(NodeSpec.task("start", "t"))
        .node(NodeSpec.task("a", "t").dependsOn("start", "c"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .node(NodeSpec.task("c", "t").dependsOn("b"))
        .node(NodeSpec.task("after", "t").dependsOn("c"))));
    assertProblem(p, Kind.CYCLE, "a", "a -> b -> c -> a");
  }

  @Test
  void eachIndependentCycleIsReported() {
    InvalidDagException e = invalid(DagSpec.builder("d")
        .node(NodeSpec.task("a", "t").dependsOn("b"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .node(NodeSpec.task("x", "t").dependsOn(Edge.of("z", EdgeType.ANY)))
        .node(NodeSpec.task("y", "t").dependsOn("x"))
        .node(NodeSpec.task("z", "t").dependsOn(Edge.of("y", EdgeType.FINISH))));
    assertThat(e.problems()).extracting(SpecProblem::message)
        .containsExactly("cycle: a -> b -> a", "cycle: x -> y -> z -> x");
  }

  @Test
  void cycleThroughContainerMembershipIsFound() {
    // box ends only after its child x; x waits for y; y waits for box: nothing can ever end.
    SpecProblem p = only(invalid(DagSpec.builder("d")
        .node(NodeSpec.container("box"))
        .node(NodeSpec.task("x", "t").parent("box").dependsOn("y"))
        .node(NodeSpec.task("y", "t").dependsOn("box"))));
    assertProblem(p, Kind.CYCLE, "x", "x -> box -> y -> x", "a container ends only after its children");
  }

  @Test
  void unknownParent() {
    SpecProblem p = only(invalid(DagSpec.builder("d").node(NodeSpec.task("a", "t").parent("nowhere"))));
    assertProblem(p, Kind.UNKNOWN_PARENT, "a", "'nowhere'");
    assertThat(p.path()).isEqualTo("nodes[0].parent");
  }

  @Test
  void parentThatIsATask() {
    assertProblem(only(invalid(DagSpec.builder("d")
            .node(NodeSpec.task("p", "t"))
            .node(NodeSpec.task("a", "t").parent("p")))),
        Kind.PARENT_NOT_CONTAINER, "a", "'p' is a task");
  }

  @Test
  void containersThatContainEachOther() {
    InvalidDagException e = invalid(DagSpec.builder("d")
        .node(NodeSpec.container("outer").parent("inner"))
        .node(NodeSpec.container("inner").parent("outer"))
        .node(NodeSpec.container("solo").parent("solo"))
        .node(NodeSpec.task("leaf", "t").parent("inner")));
    assertThat(e.problems()).extracting(SpecProblem::kind)
        .containsExactly(Kind.CONTAINER_CYCLE, Kind.CONTAINER_CYCLE);
    assertThat(e.problems().get(0).message()).contains("outer -> inner -> outer");
    assertThat(e.problems().get(1).message()).contains("solo -> solo");
  }

  @Test
  void edgeFromANodeToItsOwnAncestorContainer() {
    InvalidDagException e = invalid(DagSpec.builder("d")
        .node(NodeSpec.container("outer"))
        .node(NodeSpec.container("inner").parent("outer"))
        .node(NodeSpec.task("deep", "t").parent("inner").dependsOn("outer"))
        .node(NodeSpec.task("after", "t").dependsOn("outer"))
        .node(NodeSpec.container("waits").dependsOn(Edge.of("kid", EdgeType.FINISH)))
        .node(NodeSpec.task("kid", "t").parent("waits")));
    assertThat(e.problems()).hasSize(2);
    assertProblem(e.problems().get(0), Kind.EDGE_WITHIN_HIERARCHY, "deep", "'outer'", "its own container");
    assertProblem(e.problems().get(1), Kind.EDGE_WITHIN_HIERARCHY, "waits", "'kid'", "a node inside it");
  }

  @Test
  void edgesIntoAndOutOfAContainerFromOutsideAreFine() {
    DagSpec spec = DagSpec.builder("d")
        .node(NodeSpec.task("before", "t"))
        .node(NodeSpec.container("box").dependsOn("before"))
        .node(NodeSpec.task("inside", "t").parent("box").dependsOn("before"))
        .node(NodeSpec.task("sibling", "t").parent("box").dependsOn("inside"))
        .node(NodeSpec.task("after", "t").dependsOn("box", "inside"))
        .build();
    assertThat(spec.size()).isEqualTo(5);
  }

  @Test
  void nonPositiveTimeouts() {
    InvalidDagException e = invalid(DagSpec.builder("d")
        .node(NodeSpec.task("zero", "t").timeout(Duration.ZERO))
        .node(NodeSpec.task("negative", "t").timeout(Duration.ofSeconds(-5))));
    assertThat(e.problems()).hasSize(2);
    assertProblem(e.problems().get(0), Kind.INVALID_TIMEOUT, "zero", "positive", "PT0S");
    assertProblem(e.problems().get(1), Kind.INVALID_TIMEOUT, "negative", "PT-5S");
  }

  @Test
  void timesBeyondAHundredYearsOrTheYear9999() {
    InvalidDagException e = invalid(DagSpec.builder("d")
        .node(NodeSpec.task("slow", "t").timeout(Duration.ofDays(36_501)))
        .node(NodeSpec.task("later", "t").delay(Duration.ofMillis(Long.MAX_VALUE - 1000)))
        .node(NodeSpec.task("far", "t").notBefore(java.time.Instant.parse("+300000000-01-01T00:00:00Z"))));
    assertThat(e.problems()).extracting(SpecProblem::kind).containsExactly(
        Kind.INVALID_TIMEOUT, Kind.INVALID_DELAY, Kind.INVALID_NOT_BEFORE);
    assertThat(e.problems().get(2).message()).contains("before the year 10000");
    assertThatThrownBy(() -> RetryPolicy.builder().maxDelay(Duration.ofHours(2_700_000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay must be at most 100 years");
    InvalidDagException json = catchThrowableOfType(InvalidDagException.class, () -> DagSpec.fromJson(
        "{\"id\":\"d\",\"nodes\":[{\"id\":\"a\",\"taskType\":\"t\",\"retry\":{\"maxDelay\":\"PT2700000H\"}}]}"));
    assertThat(json.problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo(Kind.INVALID_RETRY);
      assertThat(p.path()).isEqualTo("nodes[0].retry.maxDelay");
    });
  }

  @Test
  void negativeDelay() {
    assertProblem(only(invalid(DagSpec.builder("d").node(NodeSpec.task("a", "t").delay(Duration.ofMillis(-1))))),
        Kind.INVALID_DELAY, "a", "negative");
  }

  @Test
  void fewerThanOneAttemptInJson() {
    InvalidDagException e = catchThrowableOfType(InvalidDagException.class, () -> DagSpec.fromJson(
        "{\"id\":\"d\",\"nodes\":[{\"id\":\"a\",\"taskType\":\"t\",\"retry\":{\"maxAttempts\":0}}]}"));
    SpecProblem p = only(e);
    assertProblem(p, Kind.INVALID_RETRY, "a", "maxAttempts must be >= 1, was 0");
    assertThat(p.path()).isEqualTo("nodes[0].retry.maxAttempts");
  }

  @Test
  void fewerThanOneAttemptInJava() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be >= 1, was 0");
  }

  @Test
  void conditionsAndActivationsMustBeValidFilters() {
    var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    InvalidDagException e = invalid(DagSpec.builder("d")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t")
            .dependsOn(Edge.of("a", EdgeType.SUCCESS, json.objectNode().set("result.code",
                json.objectNode().put("$regex", "(unclosed"))))
            .activation(json.objectNode().set("params.env", json.objectNode().put("$near", 1)))));
    assertThat(e.problems()).extracting(SpecProblem::kind)
        .containsExactly(Kind.INVALID_FILTER, Kind.INVALID_FILTER);
    assertThat(e.problems()).extracting(SpecProblem::path).containsExactly(
        "nodes[1].activation.params.env.$near", "nodes[1].dependsOn[0].condition.result.code.$regex");
    assertThat(e.problems().get(0).nodeId()).contains("b");
  }

  @Test
  void emptyDag() {
    assertProblem(only(invalid(DagSpec.builder("d"))), Kind.EMPTY_DAG, null, "no node");
  }

  @Test
  void idsThatBreakTheRule() {
    String tooLong = "x".repeat(129);
    InvalidDagException e = invalid(DagSpec.builder("bad id")
        .node(NodeSpec.task("has space", "t"))
        .node(NodeSpec.task(tooLong, "t"))
        .node(NodeSpec.task("", "t"))
        .node(NodeSpec.task("ok_id.v1:x-2", "t")));
    assertThat(e.problems()).extracting(SpecProblem::kind).containsOnly(Kind.INVALID_ID).hasSize(4);
    assertThat(e.problems().get(0).path()).isEqualTo("id");
    assertThat(e.problems().get(1).nodeId()).contains("has space");
    assertThat(e.problems().get(2).nodeId()).contains(tooLong);
    assertThat(e.problems().get(3).path()).isEqualTo("nodes[2].id");
  }

  @Test
  void moreNodesThanTheLimit() {
    DagSpec.Builder dag = DagSpec.builder("d").maxNodes(3);
    for (int i = 0; i < 4; i++) {
      dag.node(NodeSpec.task("n" + i, "t"));
    }
    assertProblem(only(invalid(dag)), Kind.TOO_MANY_NODES, null, "4 nodes exceed the limit of 3");
  }

  @Test
  void taskWithoutTaskType() {
    assertProblem(only(invalid(DagSpec.builder("d").node(NodeSpec.builder("a", NodeKind.TASK)))),
        Kind.MISSING_TASK_TYPE, "a", "task type");
  }

  @Test
  void fiveDifferentProblemsAreAllReported() {
    InvalidDagException e = invalid(DagSpec.builder("d")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("missing"))
        .node(NodeSpec.task("c", "t").dependsOn("c"))
        .node(NodeSpec.task("d", "t").parent("a"))
        .node(NodeSpec.task("e", "t").timeout(Duration.ZERO)));
    assertThat(e.problems()).extracting(SpecProblem::kind).containsExactlyInAnyOrder(
        Kind.DUPLICATE_NODE, Kind.UNKNOWN_UPSTREAM, Kind.SELF_EDGE, Kind.PARENT_NOT_CONTAINER,
        Kind.INVALID_TIMEOUT);
    assertThat(e.problems()).extracting(p -> p.nodeId().orElseThrow())
        .containsExactlyInAnyOrder("a", "b", "c", "d", "e");
    assertThat(e.getMessage()).contains("5 problems", "node 'a'", "node 'b'", "node 'c'",
        "node 'd'", "node 'e'");
  }

  @Test
  void aStandaloneNodeIsCheckedOnItsOwn() {
    InvalidDagException e = catchThrowableOfType(InvalidDagException.class,
        () -> NodeSpec.task("a b", "t").timeout(Duration.ZERO).build());
    assertThat(e.problems()).extracting(SpecProblem::kind)
        .containsExactly(Kind.INVALID_ID, Kind.INVALID_TIMEOUT);
    assertThat(e.problems().get(1).path()).isEqualTo("timeout");
  }

  @Test
  void longChainsAndDeepNestingNeedNoRecursion() {
    int n = 200_000;
    DagSpec.Builder chain = DagSpec.builder("chain");
    chain.node(NodeSpec.container("c0"));
    for (int i = 1; i < n; i++) {
      chain.node(NodeSpec.container("c" + i).parent("c" + (i - 1)));
    }
    for (int i = 0; i < n; i++) {
      NodeSpec.Builder task = NodeSpec.task("t" + i, "t").parent("c" + (n - 1));
      chain.node(i == 0 ? task.dependsOn("t" + (n - 1)) : task.dependsOn("t" + (i - 1)));
    }
    InvalidDagException e = invalid(chain);
    assertThat(e.problems()).extracting(SpecProblem::kind).containsExactly(Kind.CYCLE);
    assertThat(e.problems().get(0).message())
        .startsWith("cycle: t0 -> t1 -> t2")
        .contains("(" + (n + 1 - 40) + " more)")
        .endsWith("-> t0");
  }

  @Test
  void problemsListedInTheMessageAreCapped() {
    DagSpec.Builder dag = DagSpec.builder("d");
    for (int i = 0; i < 80; i++) {
      dag.node(NodeSpec.task("n" + i, "t").dependsOn("ghost"));
    }
    InvalidDagException e = invalid(dag);
    assertThat(e.problems()).hasSize(80);
    assertThat(e.getMessage()).contains("80 problems", "and 30 more");
    assertThat(List.copyOf(e.problems())).isEqualTo(e.problems());
  }
}
