package dev.dagflow.spec.internal;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Draws a spec as a Mermaid flowchart or a Graphviz digraph, optionally coloured by state. */
public final class GraphExport {
  /** Fill per node state name, in the order of {@code NodeState}, which is the legend order. */
  private static final Map<String, String> FILL = new LinkedHashMap<>();

  static {
    FILL.put("PENDING", "#eeeeee");
    FILL.put("WAITING", "#e0e0e0");
    FILL.put("READY", "#bbdefb");
    FILL.put("INITIALIZING", "#fff59d");
    FILL.put("RUNNING", "#ffe082");
    FILL.put("COMPLETED", "#c8e6c9");
    FILL.put("FAILED", "#ef9a9a");
    FILL.put("TIMED_OUT", "#ffcc80");
    FILL.put("STOPPED", "#bdbdbd");
    FILL.put("SKIPPED", "#f5f5f5");
  }

  /** The colour of a highlighted path, its width in Mermaid and in DOT. */
  private static final String PATH = "#d32f2f";

  private GraphExport() {}

  /**
   * A Mermaid flowchart; nodes are named {@code n0, n1, …} so any id is safe, and labelled by id.
   * {@code path} maps each node on a path to highlight to the one before it (see {@code
   * DagSpec.toMermaid(Map, Map)}).
   */
  public static String mermaid(DagSpec spec, Map<String, String> states,
      Map<String, String> path) {
    Tree tree = new Tree(spec);
    StringBuilder out = new StringBuilder("flowchart TD\n");
    tree.walk(new Visitor() {
      @Override
      public void node(int i, int depth) {
        indent(out, depth).append('n').append(i).append("[\"").append(mermaidLabel(tree.node(i)))
            .append("\"]\n");
      }

      @Override
      public void enterContainer(int i, int depth) {
        indent(out, depth).append("subgraph n").append(i).append("[\"")
            .append(mermaidLabel(tree.node(i))).append("\"]\n");
      }

      @Override
      public void exitContainer(int i, int depth) {
        indent(out, depth).append("end\n");
      }
    });
    List<Integer> thick = new ArrayList<>();
    int link = 0;
    for (int i = 0; i < tree.size(); i++) {
      for (Edge edge : tree.node(i).edges()) {
        int up = tree.position(edge.upstream());
        out.append("  n").append(up).append(mermaidArrow(edge)).append('n').append(i).append('\n');
        if (onPath(path, edge, tree.node(i))) {
          thick.add(link);
        }
        link++;
      }
    }
    Map<String, List<Integer>> byState = tree.byState(states);
    for (Map.Entry<String, List<Integer>> e : byState.entrySet()) {
      String cls = e.getKey().toLowerCase(Locale.ROOT);
      out.append("  classDef ").append(cls).append(" fill:").append(FILL.get(e.getKey()))
          .append('\n');
      out.append("  class ");
      List<Integer> members = e.getValue();
      for (int k = 0; k < members.size(); k++) {
        out.append(k == 0 ? "n" : ",n").append(members.get(k));
      }
      out.append(' ').append(cls).append('\n');
    }
    for (int i = 0; i < tree.size(); i++) {
      if (path.containsKey(tree.node(i).id())) {
        out.append("  style n").append(i).append(" stroke:").append(PATH)
            .append(",stroke-width:4px\n");
      }
    }
    if (!thick.isEmpty()) {
      out.append("  linkStyle ");
      for (int k = 0; k < thick.size(); k++) {
        out.append(k == 0 ? "" : ",").append(thick.get(k));
      }
      out.append(" stroke:").append(PATH).append(",stroke-width:4px\n");
    }
    return out.toString();
  }

  /** Whether {@code edge} into {@code node} is the link of {@code path} into it. */
  private static boolean onPath(Map<String, String> path, Edge edge, NodeSpec node) {
    return edge.upstream().equals(path.get(node.id()));
  }

  /**
   * A Graphviz digraph; containers are clusters holding a node for the container itself. {@code
   * path} is as {@link #mermaid} takes it.
   */
  public static String dot(DagSpec spec, Map<String, String> states, Map<String, String> path) {
    Tree tree = new Tree(spec);
    StringBuilder out = new StringBuilder("digraph ").append(quote(spec.id())).append(" {\n");
    out.append("  rankdir=TB;\n  node [shape=box, style=rounded];\n");
    tree.walk(new Visitor() {
      @Override
      public void node(int i, int depth) {
        NodeSpec node = tree.node(i);
        indent(out, depth).append(quote(node.id())).append(" [label=").append(quote(label(node, "\n")));
        if (node.isContainer()) {
          out.append(", shape=folder");
        }
        String state = states.get(node.id());
        if (state != null && FILL.containsKey(state)) {
          out.append(", style=\"rounded,filled\", fillcolor=").append(quote(FILL.get(state)))
              .append(", tooltip=").append(quote(state));
        }
        if (path.containsKey(node.id())) {
          out.append(", color=").append(quote(PATH)).append(", penwidth=3");
        }
        out.append("];\n");
      }

      @Override
      public void enterContainer(int i, int depth) {
        indent(out, depth).append("subgraph ").append(quote("cluster_" + tree.node(i).id()))
            .append(" {\n");
        indent(out, depth + 1).append("label=").append(quote(tree.node(i).id())).append(";\n");
        if (path.containsKey(tree.node(i).id())) {
          indent(out, depth + 1).append("color=").append(quote(PATH)).append("; penwidth=3;\n");
        }
        node(i, depth + 1);
      }

      @Override
      public void exitContainer(int i, int depth) {
        indent(out, depth).append("}\n");
      }
    });
    for (int i = 0; i < tree.size(); i++) {
      for (Edge edge : tree.node(i).edges()) {
        out.append("  ").append(quote(edge.upstream())).append(" -> ")
            .append(quote(tree.node(i).id()))
            .append(dotAttributes(edge, onPath(path, edge, tree.node(i)))).append(";\n");
      }
    }
    return out.append("}\n").toString();
  }

  private static String label(NodeSpec node, String separator) {
    return node.taskType().map(t -> node.id() + separator + t).orElse(node.id());
  }

  private static String mermaidLabel(NodeSpec node) {
    return label(node, "<br/>").replace("\"", "#quot;");
  }

  private static String mermaidArrow(Edge edge) {
    String text = edgeText(edge);
    String arrow = edge.type() == EdgeType.FINISH || edge.type() == EdgeType.ANY ? " -.->" : " -->";
    return text.isEmpty() ? arrow + " " : arrow + "|" + text + "| ";
  }

  private static String dotAttributes(Edge edge, boolean onPath) {
    String text = edgeText(edge);
    List<String> attributes = new ArrayList<>(4);
    if (!text.isEmpty()) {
      attributes.add("label=" + quote(text));
    }
    if (onPath) {
      attributes.add("color=" + quote(PATH));
      attributes.add("penwidth=3");
    }
    switch (edge.type()) {
      case FAILURE -> {
        if (!onPath) {
          attributes.add("color=\"#c62828\"");
        }
      }
      case FINISH -> attributes.add("style=dashed");
      case ANY -> attributes.add("style=dotted");
      default -> { }
    }
    return attributes.isEmpty() ? "" : " [" + String.join(", ", attributes) + "]";
  }

  private static String edgeText(Edge edge) {
    String type = edge.type() == EdgeType.SUCCESS ? "" : edge.type().name().toLowerCase(Locale.ROOT);
    if (!edge.hasCondition()) {
      return type;
    }
    return type.isEmpty() ? "if" : type + " if";
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  private static StringBuilder indent(StringBuilder out, int depth) {
    return out.append("  ".repeat(depth + 1));
  }

  private interface Visitor {
    void node(int i, int depth);

    void enterContainer(int i, int depth);

    void exitContainer(int i, int depth);
  }

  /** The containment tree of a spec, walked without recursion. */
  private static final class Tree {
    private final List<NodeSpec> nodes;
    private final Map<String, Integer> positions = new HashMap<>();
    private final Map<Integer, List<Integer>> children = new HashMap<>();
    private final List<Integer> roots = new ArrayList<>();

    Tree(DagSpec spec) {
      nodes = spec.nodes();
      for (int i = 0; i < nodes.size(); i++) {
        positions.put(nodes.get(i).id(), i);
      }
      for (int i = 0; i < nodes.size(); i++) {
        String parent = nodes.get(i).parent().orElse(null);
        if (parent == null) {
          roots.add(i);
        } else {
          children.computeIfAbsent(positions.get(parent), k -> new ArrayList<>()).add(i);
        }
      }
    }

    int size() {
      return nodes.size();
    }

    NodeSpec node(int i) {
      return nodes.get(i);
    }

    int position(String id) {
      return positions.get(id);
    }

    Map<String, List<Integer>> byState(Map<String, String> states) {
      Map<String, List<Integer>> found = new HashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        String state = states.get(nodes.get(i).id());
        if (state != null && FILL.containsKey(state)) {
          found.computeIfAbsent(state, k -> new ArrayList<>()).add(i);
        }
      }
      Map<String, List<Integer>> result = new LinkedHashMap<>();
      FILL.keySet().forEach(state -> {
        if (found.containsKey(state)) {
          result.put(state, found.get(state));
        }
      });
      return result;
    }

    /** Visits containers before their children, children in spec order. */
    void walk(Visitor visitor) {
      Deque<int[]> stack = new ArrayDeque<>(); // {position, depth, exit marker}
      for (int r = roots.size() - 1; r >= 0; r--) {
        stack.push(new int[] {roots.get(r), 0, 0});
      }
      while (!stack.isEmpty()) {
        int[] top = stack.pop();
        int i = top[0];
        int depth = top[1];
        if (top[2] == 1) {
          visitor.exitContainer(i, depth);
        } else if (nodes.get(i).isContainer()) {
          visitor.enterContainer(i, depth);
          stack.push(new int[] {i, depth, 1});
          List<Integer> kids = children.getOrDefault(i, List.of());
          for (int k = kids.size() - 1; k >= 0; k--) {
            stack.push(new int[] {kids.get(k), depth + 1, 0});
          }
        } else {
          visitor.node(i, depth);
        }
      }
    }
  }
}
