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

class LayeredDagTest {
  private static final int SIZE = 10_500; // ten full layers and a half one

  @Test
  void hasTheRequestedSizeWidthAndIds() {
    LayeredDag dag = LayeredDag.of(SIZE);

    assertThat(dag.size()).isEqualTo(SIZE);
    assertThat(dag.width()).isEqualTo(LayeredDag.DEFAULT_WIDTH);
    assertThat(dag.ids()).hasSize(SIZE).startsWith("n0", "n1").endsWith("n10499");
    assertThat(dag.ids()).doesNotHaveDuplicates();
    assertThat(dag.layerOf(999)).isZero();
    assertThat(dag.layerOf(1_000)).isEqualTo(1);
    assertThat(dag.edgeCount()).isEqualTo(2 * (SIZE - 1_000));
  }

  @Test
  void everyNodeOutsideTheFirstLayerHasTwoDistinctParentsInThePreviousLayer() {
    LayeredDag dag = LayeredDag.of(SIZE);
    int[] pairs = dag.edgePairs();
    int[] parentCount = new int[SIZE];
    int[] firstParent = new int[SIZE];
    for (int k = 0; k < pairs.length; k += 2) {
      int parent = pairs[k];
      int child = pairs[k + 1];
      assertThat(dag.layerOf(parent)).as("parent of n%d", child).isEqualTo(dag.layerOf(child) - 1);
      if (parentCount[child]++ == 0) {
        firstParent[child] = parent;
      } else {
        assertThat(parent).as("second parent of n%d", child).isNotEqualTo(firstParent[child]);
      }
    }
    for (int i = 0; i < SIZE; i++) {
      assertThat(parentCount[i]).as("parents of n%d", i).isEqualTo(i < dag.width() ? 0 : 2);
    }
  }

  @Test
  void nodeSpecsCarryTheSameEdges() {
    LayeredDag dag = LayeredDag.of(SIZE);
    List<NodeSpec> nodes = dag.nodeSpecs("noop");
    int[] pairs = dag.edgePairs();

    assertThat(nodes).hasSize(SIZE);
    assertThat(nodes.get(0).edges()).isEmpty();
    for (int k = 0; k < pairs.length; k += 2) {
      NodeSpec child = nodes.get(pairs[k + 1]);
      assertThat(child.id()).isEqualTo("n" + pairs[k + 1]);
      assertThat(child.edges()).contains(Edge.on("n" + pairs[k]));
    }
  }

  @Test
  void theSameSeedGivesTheSameGraphAndAnotherSeedAnother() {
    assertThat(LayeredDag.of(SIZE).edgePairs()).isEqualTo(LayeredDag.of(SIZE).edgePairs());
    assertThat(LayeredDag.of(SIZE, 1_000, 7).edgePairs())
        .isNotEqualTo(LayeredDag.of(SIZE).edgePairs());
  }

  @Test
  void rejectsShapesWithoutTwoDistinctParents() {
    assertThatThrownBy(() -> LayeredDag.of(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LayeredDag.of(10, 1, 42)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bothBenchmarkPeersAcceptTheGraph() {
    LayeredDag dag = LayeredDag.of(SIZE);

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
