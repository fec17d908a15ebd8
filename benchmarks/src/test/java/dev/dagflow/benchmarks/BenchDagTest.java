package dev.dagflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.NodeSpec;
import java.util.List;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BenchDagTest {
  private static final int SIZE = 10_500; // ten full layers of 1,000 and a half one

  @Test
  void layered100HasTenLayersAtAThousandNodesAndTwoDistinctParentsInThePreviousLayer() {
    assertLayered(DagShape.LAYERED_100.of(1_000), 100);
    assertLayered(DagShape.LAYERED_100.of(SIZE), 100);
    assertThat(DagShape.LAYERED_100.of(1_000).edgeCount()).isEqualTo(2 * 900);
  }

  @Test
  void layered1000IsTheEarlierShapeWithoutEdgesAtAThousandNodes() {
    assertThat(DagShape.LAYERED_1000.of(1_000).edgeCount()).isZero();
    assertLayered(DagShape.LAYERED_1000.of(SIZE), 1_000);
  }

  private static void assertLayered(BenchDag dag, int width) {
    int size = dag.size();
    int[] pairs = dag.edgePairs();
    int[] parentCount = new int[size];
    int[] firstParent = new int[size];
    for (int k = 0; k < pairs.length; k += 2) {
      int parent = pairs[k];
      int child = pairs[k + 1];
      assertThat(parent / width).as("layer of the parent of n%d", child)
          .isEqualTo(child / width - 1);
      if (parentCount[child]++ == 0) {
        firstParent[child] = parent;
      } else {
        assertThat(parent).as("second parent of n%d", child).isNotEqualTo(firstParent[child]);
      }
    }
    for (int i = 0; i < size; i++) {
      assertThat(parentCount[i]).as("parents of n%d", i).isEqualTo(i < width ? 0 : 2);
    }
    assertThat(dag.edgeCount()).isEqualTo(2 * (size - width));
  }

  @Test
  void theChainLinksEachNodeToTheOneBefore() {
    BenchDag dag = DagShape.CHAIN.of(SIZE);
    int[] pairs = dag.edgePairs();

    assertThat(dag.edgeCount()).isEqualTo(SIZE - 1);
    for (int k = 0, child = 1; k < pairs.length; k += 2, child++) {
      assertThat(pairs[k]).isEqualTo(child - 1);
      assertThat(pairs[k + 1]).isEqualTo(child);
    }
    assertThat(BenchDag.chain(1).edgeCount()).isZero();
  }

  @Test
  void theFanHasOneRootAndOneJoinOnEveryMiddleNode() {
    BenchDag dag = DagShape.FAN_OUT_IN.of(SIZE);
    int[] in = new int[SIZE];
    int[] out = new int[SIZE];
    int[] pairs = dag.edgePairs();
    for (int k = 0; k < pairs.length; k += 2) {
      out[pairs[k]]++;
      in[pairs[k + 1]]++;
    }

    assertThat(dag.edgeCount()).isEqualTo(2 * (SIZE - 2));
    assertThat(in[0]).isZero();
    assertThat(out[0]).isEqualTo(SIZE - 2);
    assertThat(in[SIZE - 1]).as("the join's in-degree").isEqualTo(SIZE - 2);
    assertThat(out[SIZE - 1]).isZero();
    for (int v = 1; v < SIZE - 1; v++) {
      assertThat(in[v]).as("in-degree of n%d", v).isEqualTo(1);
      assertThat(out[v]).as("out-degree of n%d", v).isEqualTo(1);
    }
    assertThat(BenchDag.fanOutFanIn(3).edgeCount()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(DagShape.class)
  void everyShapeIsAcyclicInIndexOrderWithUniqueIds(DagShape shape) {
    BenchDag dag = shape.of(SIZE);
    int[] pairs = dag.edgePairs();

    assertThat(dag.size()).isEqualTo(SIZE);
    assertThat(dag.ids()).hasSize(SIZE).startsWith("n0", "n1").endsWith("n10499")
        .doesNotHaveDuplicates();
    DirectedAcyclicGraph<String, DefaultEdge> graph = new DirectedAcyclicGraph<>(DefaultEdge.class);
    dag.ids().forEach(graph::addVertex);
    for (int k = 0; k < pairs.length; k += 2) {
      assertThat(pairs[k]).as("parent before child").isLessThan(pairs[k + 1]);
      if (k > 0) {
        assertThat(pairs[k + 1]).as("child order").isGreaterThanOrEqualTo(pairs[k - 1]);
      }
      graph.addEdge(dag.ids().get(pairs[k]), dag.ids().get(pairs[k + 1])); // throws on a cycle
    }
    assertThat(graph.edgeSet()).hasSize(dag.edgeCount());
  }

  @ParameterizedTest
  @EnumSource(DagShape.class)
  void nodeSpecsAndParentRowsCarryTheSameEdges(DagShape shape) {
    BenchDag dag = shape.of(SIZE);
    List<NodeSpec> nodes = dag.nodeSpecs("noop");
    int[] pairs = dag.edgePairs();
    int[][] rows = dag.parentRows();

    assertThat(nodes).hasSize(SIZE);
    assertThat(nodes.stream().mapToInt(node -> node.edges().size()).sum())
        .isEqualTo(dag.edgeCount());
    assertThat(rows[0][SIZE]).isEqualTo(dag.edgeCount());
    for (int k = 0; k < pairs.length; k += 2) {
      NodeSpec child = nodes.get(pairs[k + 1]);
      assertThat(child.id()).isEqualTo("n" + pairs[k + 1]);
      assertThat(child.edges()).contains(Edge.on("n" + pairs[k]));
    }
    for (int v = 0; v < SIZE; v++) {
      assertThat(rows[0][v + 1] - rows[0][v]).as("parents of n%d", v)
          .isEqualTo(nodes.get(v).edges().size());
      for (int i = rows[0][v]; i < rows[0][v + 1]; i++) {
        assertThat(nodes.get(v).edges()).contains(Edge.on("n" + rows[1][i]));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DagShape.class)
  void theSameShapeAndSizeGiveTheSameGraph(DagShape shape) {
    assertThat(shape.of(SIZE).edgePairs()).isEqualTo(shape.of(SIZE).edgePairs());
  }

  @Test
  void longestPathAndLargestInDegreeOfEachShape() {
    assertThat(DagShape.CHAIN.of(SIZE).longestPath()).isEqualTo(SIZE);
    assertThat(DagShape.CHAIN.of(SIZE).maxInDegree()).isEqualTo(1);
    assertThat(DagShape.FAN_OUT_IN.of(SIZE).longestPath()).isEqualTo(3);
    assertThat(DagShape.FAN_OUT_IN.of(SIZE).maxInDegree()).isEqualTo(SIZE - 2);
    assertThat(DagShape.LAYERED_100.of(SIZE).longestPath()).isEqualTo(105);
    assertThat(DagShape.LAYERED_1000.of(SIZE).longestPath()).isEqualTo(11);
    assertThat(DagShape.LAYERED_1000.of(SIZE).maxInDegree()).isEqualTo(2);
    assertThat(DagShape.LAYERED_1000.of(1_000).longestPath()).isEqualTo(1);
  }

  @Test
  void anotherSeedGivesAnotherLayeredGraph() {
    assertThat(BenchDag.layered(SIZE, 100, 7).edgePairs())
        .isNotEqualTo(DagShape.LAYERED_100.of(SIZE).edgePairs());
  }

  @Test
  void rejectsSizesAndWidthsTheShapesCannotHave() {
    assertThatThrownBy(() -> BenchDag.chain(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size");
    assertThatThrownBy(() -> BenchDag.fanOutFanIn(2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 3");
    assertThatThrownBy(() -> BenchDag.layered(10, 1, 42))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
  }

  @ParameterizedTest
  @EnumSource(DagShape.class)
  void bothSpecValidationPeersAcceptEveryShape(DagShape shape) {
    BenchDag dag = shape.of(SIZE);

    Object ours = SpecValidationBenchmark.Impl.DAGFLOW.prepare(dag).build();
    assertThat(ours).isInstanceOfSatisfying(DagSpec.class, spec -> {
      assertThat(spec.size()).isEqualTo(SIZE);
      assertThat(spec.nodes().stream().mapToInt(node -> node.edges().size()).sum())
          .isEqualTo(dag.edgeCount());
    });

    Object peer = SpecValidationBenchmark.Impl.JGRAPHT.prepare(dag).build();
    assertThat(peer).isInstanceOfSatisfying(DirectedAcyclicGraph.class, graph -> {
      @SuppressWarnings("unchecked")
      DirectedAcyclicGraph<String, DefaultEdge> g = graph;
      assertThat(g.vertexSet()).hasSize(SIZE);
      assertThat(g.edgeSet()).hasSize(dag.edgeCount());
    });
  }
}
