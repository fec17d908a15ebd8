package dev.dagflow.spec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.Join;
import dev.dagflow.spec.NodeSpec;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the targets of a run need, over every edge type and containers: a table of targets and
 * the nodes that then run, on one spec.
 *
 * <pre>
 *   checkout → build → test → deploy ⇢(FINISH) notify      lint (alone)
 *   checkout → docs                 a, b ⇢(ONE join) first
 *   build → suite [ unit → integration, e2e, inner [ smoke ] ]    suite → report
 * </pre>
 */
class TargetClosureTest {
  private static final DagSpec SPEC = DagSpec.builder("ci")
      .node(NodeSpec.task("checkout", "t"))
      .node(NodeSpec.task("build", "t").dependsOn("checkout"))
      .node(NodeSpec.task("test", "t").dependsOn("build"))
      .node(NodeSpec.task("deploy", "t").dependsOn("test"))
      .node(NodeSpec.task("notify", "t").dependsOn("deploy", EdgeType.FINISH))
      .node(NodeSpec.task("lint", "t"))
      .node(NodeSpec.task("docs", "t").dependsOn("checkout"))
      .node(NodeSpec.task("a", "t"))
      .node(NodeSpec.task("b", "t").dependsOn("lint", EdgeType.FAILURE))
      .node(NodeSpec.task("first", "t").dependsOn("a", "b").join(Join.ONE))
      .node(NodeSpec.container("suite").dependsOn("build"))
      .node(NodeSpec.task("unit", "t").parent("suite"))
      .node(NodeSpec.task("integration", "t").parent("suite").dependsOn("unit"))
      .node(NodeSpec.task("e2e", "t").parent("suite"))
      .node(NodeSpec.container("inner").parent("suite"))
      .node(NodeSpec.task("smoke", "t").parent("inner"))
      .node(NodeSpec.task("report", "t").dependsOn("suite"))
      .build();

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(List.of("build"), Set.of("checkout", "build")),
        Arguments.of(List.of("notify"),
            Set.of("checkout", "build", "test", "deploy", "notify")),
        Arguments.of(List.of("first"), Set.of("a", "b", "lint", "first")),
        Arguments.of(List.of("integration"),
            Set.of("checkout", "build", "suite", "unit", "integration")),
        Arguments.of(List.of("smoke"), Set.of("checkout", "build", "suite", "inner", "smoke")),
        Arguments.of(List.of("inner"), Set.of("checkout", "build", "suite", "inner", "smoke")),
        Arguments.of(List.of("report"), Set.of("checkout", "build", "suite", "unit",
            "integration", "e2e", "inner", "smoke", "report")),
        Arguments.of(List.of("docs", "lint"), Set.of("checkout", "docs", "lint")),
        Arguments.of(List.of("smoke", "e2e"),
            Set.of("checkout", "build", "suite", "inner", "smoke", "e2e")));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("table")
  void aTargetNeedsItsUpstreamItsSubtreeAndItsContainers(List<String> targets,
      Set<String> run) {
    DagSpec spec = SPEC.toBuilder().targets(targets).build();
    BitSet skip = TargetClosure.notNeeded(spec);
    Set<String> ran = new TreeSet<>();
    for (int v = 0; v < spec.size(); v++) {
      if (!skip.get(v)) {
        ran.add(spec.nodes().get(v).id());
      }
    }
    assertThat(ran).isEqualTo(new TreeSet<>(run));
  }

  @Test
  void noTargetsSkipNothingAndTheReasonNamesThem() {
    assertThat(TargetClosure.notNeeded(SPEC).isEmpty()).isTrue();
    assertThat(TargetClosure.reason(List.of("build")))
        .isEqualTo("not needed for target 'build'");
    assertThat(TargetClosure.reason(List.of("a", "b", "lint", "docs", "test",
        "deploy", "smoke")))
        .isEqualTo("not needed for targets 'a', 'b', 'lint', 'docs', 'test' and 2 more");
  }

  @Test
  void aLongChainIsWalkedWithoutRecursion() {
    DagSpec.Builder b = DagSpec.builder("chain").node(NodeSpec.task("n0", "t"));
    int n = 200_000;
    for (int i = 1; i < n; i++) {
      b.node(NodeSpec.task("n" + i, "t").dependsOn("n" + (i - 1)));
    }
    DagSpec spec = b.targets(List.of("n" + (n / 2))).build();
    BitSet skip = TargetClosure.notNeeded(spec);
    assertThat(skip.cardinality()).isEqualTo(n - n / 2 - 1);
    assertThat(skip.nextSetBit(0)).isEqualTo(n / 2 + 1);
  }
}
