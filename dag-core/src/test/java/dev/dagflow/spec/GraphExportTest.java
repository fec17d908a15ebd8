package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.state.NodeState;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphExportTest {
  private final DagSpec spec = DagSpec.builder("sim")
      .node(NodeSpec.task("prepare", "setup"))
      .node(NodeSpec.container("root").dependsOn("prepare"))
      .node(NodeSpec.container("team").parent("root"))
      .node(NodeSpec.task("agent_001", "red \"team\"").parent("team"))
      .node(NodeSpec.task("agent_002", "blue").parent("root").dependsOn("agent_001"))
      .node(NodeSpec.task("cleanup", "teardown").dependsOn(Edge.of("root", EdgeType.FINISH)))
      .node(NodeSpec.task("alert", "pager").dependsOn(Edge.of("root", EdgeType.FAILURE)))
      .node(NodeSpec.task("audit", "log").dependsOn(Edge.of("prepare", EdgeType.ANY)))
      .node(NodeSpec.task("branch", "b").dependsOn(Edge.of("prepare", EdgeType.SUCCESS,
          JsonNodeFactory.instance.objectNode().put("result.ok", true))))
      .build();

  @Test
  void mermaidNestsContainersAsSubgraphsAndStylesEdgesByType() {
    String chart = spec.toMermaid();

    assertThat(chart).startsWith("flowchart TD\n").isEqualTo("""
        flowchart TD
          n0["prepare<br/>setup"]
          subgraph n1["root"]
            subgraph n2["team"]
              n3["agent_001<br/>red #quot;team#quot;"]
            end
            n4["agent_002<br/>blue"]
          end
          n5["cleanup<br/>teardown"]
          n6["alert<br/>pager"]
          n7["audit<br/>log"]
          n8["branch<br/>b"]
          n0 --> n1
          n3 --> n4
          n1 -.->|finish| n5
          n1 -->|failure| n6
          n0 -.->|any| n7
          n0 -->|if| n8
        """);
  }

  @Test
  void mermaidColoursNodesByState() {
    String chart = spec.toMermaid(Map.of("prepare", "COMPLETED", "root", "RUNNING",
        "agent_001", "COMPLETED", "alert", "SKIPPED"));

    assertThat(chart).contains(
        "  classDef running fill:#ffe082\n  class n1 running\n",
        "  classDef completed fill:#c8e6c9\n  class n0,n3 completed\n",
        "  class n6 skipped\n");
  }

  @Test
  void dotDrawsContainersAsClustersAndQuotesLabels() {
    String dot = spec.toDot(Map.of("agent_002", "FAILED"));

    assertThat(dot).startsWith("digraph \"sim\" {\n").endsWith("}\n").contains(
        "  subgraph \"cluster_root\" {\n    label=\"root\";\n    \"root\" [label=\"root\", shape=folder];\n",
        "      \"agent_001\" [label=\"agent_001\\nred \\\"team\\\"\"];\n",
        "    \"agent_002\" [label=\"agent_002\\nblue\", style=\"rounded,filled\", fillcolor=\"#ef9a9a\", tooltip=\"FAILED\"];\n",
        "  \"prepare\" -> \"root\";\n",
        "  \"root\" -> \"cleanup\" [label=\"finish\", style=dashed];\n",
        "  \"root\" -> \"alert\" [label=\"failure\", color=\"#c62828\"];\n",
        "  \"prepare\" -> \"audit\" [label=\"any\", style=dotted];\n",
        "  \"prepare\" -> \"branch\" [label=\"if\"];\n");
    assertThat(spec.toDot()).doesNotContain("fillcolor");
  }

  @Test
  void everyNodeStateHasItsOwnColourAndOtherNamesNone() {
    Set<String> fills = new HashSet<>();
    for (NodeState state : NodeState.values()) {
      String dot = spec.toDot(Map.of("prepare", state.name()));
      assertThat(dot).as(state.name()).contains("tooltip=\"" + state.name() + "\"");
      fills.add(dot.replaceAll("(?s).*fillcolor=\"([^\"]+)\".*", "$1"));
    }

    assertThat(fills).hasSize(NodeState.values().length);
    assertThat(spec.toDot(Map.of("prepare", "completed"))).doesNotContain("fillcolor");
    assertThat(spec.toMermaid(Map.of("prepare", "DONE"))).doesNotContain("classDef");
  }

  /** prepare, root, agent_001 inside team inside root, then cleanup: a path as a run draws it. */
  private static final Map<String, String> PATH = Map.of("prepare", "prepare",
      "root", "prepare", "team", "root", "agent_001", "team", "alert", "root");

  @Test
  void mermaidDrawsAPathThickAndRedAndOnlyWhenAsked() {
    String chart = spec.toMermaid(Map.of("prepare", "COMPLETED"), PATH);

    assertThat(chart).contains(
        "  style n0 stroke:#d32f2f,stroke-width:4px\n",
        "  style n1 stroke:#d32f2f,stroke-width:4px\n",
        "  style n2 stroke:#d32f2f,stroke-width:4px\n",
        "  style n3 stroke:#d32f2f,stroke-width:4px\n",
        "  style n6 stroke:#d32f2f,stroke-width:4px\n",
        // links in the order drawn: prepare->root (0), root->alert (3); not agent_001->agent_002
        "  linkStyle 0,3 stroke:#d32f2f,stroke-width:4px\n",
        "  class n0 completed\n");
    assertThat(chart).doesNotContain("style n4 ").doesNotContain("style n5 ");
    assertThat(spec.toMermaid(Map.of("prepare", "COMPLETED"), Map.of()))
        .isEqualTo(spec.toMermaid(Map.of("prepare", "COMPLETED")))
        .doesNotContain("style ").doesNotContain("linkStyle");
  }

  @Test
  void dotDrawsAPathThickAndRedAndOnlyWhenAsked() {
    String dot = spec.toDot(Map.of(), PATH);

    assertThat(dot).contains(
        "  \"prepare\" [label=\"prepare\\nsetup\", color=\"#d32f2f\", penwidth=3];\n",
        "  subgraph \"cluster_root\" {\n    label=\"root\";\n    color=\"#d32f2f\"; penwidth=3;\n",
        "  \"prepare\" -> \"root\" [color=\"#d32f2f\", penwidth=3];\n",
        // the path's colour, not the failure edge's
        "  \"root\" -> \"alert\" [label=\"failure\", color=\"#d32f2f\", penwidth=3];\n",
        "  \"agent_001\" -> \"agent_002\";\n",
        "  \"agent_002\" [label=\"agent_002\\nblue\"];\n");
    assertThat(spec.toDot(Map.of(), Map.of())).isEqualTo(spec.toDot()).doesNotContain("penwidth");
  }
}
