package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonRoundTripTest {
  private static final long BASE_SEED = 20261123L;

  @Test
  void everyGeneratedSpecSurvivesTheRoundTrip() {
    for (int i = 0; i < 1_200; i++) {
      long seed = BASE_SEED + i;
      DagSpec spec = RandomSpecs.generate(seed);
      String json = spec.toJson();
      DagSpec back = DagSpec.fromJson(json);
      assertThat(back).as("seed %d:\n%s", seed, json).isEqualTo(spec);
      assertThat(back.hashCode()).as("seed %d", seed).isEqualTo(spec.hashCode());
      assertThat(back.toJson()).as("seed %d", seed).isEqualTo(json);
    }
  }

  @Test
  void theGeneratorCoversEveryFeature() {
    Set<EdgeType> edgeTypes = EnumSet.noneOf(EdgeType.class);
    Set<DagScope.Kind> scopes = EnumSet.noneOf(DagScope.Kind.class);
    Set<Backoff> backoffs = EnumSet.noneOf(Backoff.class);
    boolean containers = false;
    boolean nested = false;
    boolean conditions = false;
    boolean joinOne = false;
    boolean timeouts = false;
    boolean notBefore = false;
    boolean delays = false;
    boolean activations = false;
    boolean targets = false;
    for (int i = 0; i < 1_200; i++) {
      DagSpec spec = RandomSpecs.generate(BASE_SEED + i);
      scopes.add(spec.scope().kind());
      targets |= !spec.targets().isEmpty();
      for (NodeSpec node : spec.nodes()) {
        containers |= node.isContainer();
        nested |= node.isContainer() && node.parent().isPresent();
        joinOne |= node.join() == Join.ONE;
        timeouts |= node.timeout().isPresent();
        notBefore |= node.notBefore().isPresent();
        delays |= node.delay().isPresent();
        activations |= node.activation().isPresent();
        node.retry().ifPresent(r -> backoffs.add(r.backoff()));
        for (Edge edge : node.edges()) {
          edgeTypes.add(edge.type());
          conditions |= edge.hasCondition();
        }
      }
    }
    assertThat(edgeTypes).containsExactlyInAnyOrder(EdgeType.values());
    assertThat(scopes).containsExactlyInAnyOrder(DagScope.Kind.values());
    assertThat(backoffs).containsExactlyInAnyOrder(Backoff.values());
    assertThat(containers && nested && conditions && joinOne && timeouts && notBefore && delays
        && activations && targets).isTrue();
  }

  @Test
  void numbersCompareByValueWhateverNodeTypeBuiltThem() {
    ObjectNode asLong = JsonNodeFactory.instance.objectNode().put("port", 443L).put("ratio", 0.5f);
    NodeSpec built = NodeSpec.task("a", "t").config(asLong).build();
    DagSpec spec = DagSpec.builder("d").node(built).build();

    DagSpec back = DagSpec.fromJson(spec.toJson());

    assertThat(back).isEqualTo(spec);
    assertThat(back.nodes().get(0).config().get("port").isInt()).isTrue();
  }

  @Test
  void defaultsAreLeftOutOfTheJson() {
    DagSpec spec = DagSpec.builder("d").node(NodeSpec.task("a", "t")).build();

    assertThat(spec.toJson()).doesNotContain("kind", "join", "priority", "scope", "name");
  }
}
