package dev.dagflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The package graph of Java sources, read with plain Java: each file's package, and every
 * {@code dev.dagflow} name it uses, in an import (static or not) or fully qualified in code.
 * Comments and string literals are left out, so a Javadoc link does not count as a dependency.
 */
final class SourceGraph {
  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;",
      Pattern.MULTILINE);
  private static final Pattern NAME = Pattern.compile("\\bdev\\.dagflow(?:\\.[A-Za-z_$][\\w$]*)+");

  /** One use of a name: the file (relative to its source root) and the name as written. */
  record Use(String file, String name) {
  }

  /** Package to the packages it uses, each with the uses that make the edge. */
  private final Map<String, Map<String, List<Use>>> edges = new TreeMap<>();
  private final Set<String> packages;

  private SourceGraph(Set<String> packages) {
    this.packages = packages;
  }

  /** The graph of every {@code .java} file under {@code root}. */
  static SourceGraph of(Path root) {
    Map<Path, String> sources = read(root);
    Set<String> packages = new TreeSet<>();
    Map<Path, String> packageOf = new HashMap<>();
    sources.forEach((file, text) -> {
      Matcher m = PACKAGE.matcher(text);
      if (m.find()) {
        packages.add(m.group(1));
        packageOf.put(file, m.group(1));
      }
    });
    SourceGraph graph = new SourceGraph(packages);
    sources.forEach((file, text) -> {
      String from = packageOf.get(file);
      for (String name : names(text)) {
        String to = graph.packageOf(name);
        if (from != null && to != null && !to.equals(from)) {
          graph.edges.computeIfAbsent(from, k -> new TreeMap<>())
              .computeIfAbsent(to, k -> new ArrayList<>())
              .add(new Use(root.relativize(file).toString().replace('\\', '/'), name));
        }
      }
    });
    return graph;
  }

  /** A graph of the given edges, for testing the cycle finder itself. */
  static SourceGraph ofEdges(Map<String, List<String>> edges) {
    SourceGraph graph = new SourceGraph(new TreeSet<>());
    edges.forEach((from, tos) -> {
      graph.packages.add(from);
      for (String to : tos) {
        graph.packages.add(to);
        graph.edges.computeIfAbsent(from, k -> new TreeMap<>())
            .computeIfAbsent(to, k -> new ArrayList<>())
            .add(new Use(from.replace('.', '/') + "/Some.java", to + ".Some"));
      }
    });
    return graph;
  }

  /**
   * This graph with each package replaced by {@code group} of it; edges within a group are
   * dropped, the uses of the others kept.
   */
  SourceGraph fold(Function<String, String> group) {
    SourceGraph folded = new SourceGraph(new TreeSet<>());
    packages.forEach(p -> folded.packages.add(group.apply(p)));
    edges.forEach((from, tos) -> tos.forEach((to, uses) -> {
      String a = group.apply(from);
      String b = group.apply(to);
      if (!a.equals(b)) {
        folded.edges.computeIfAbsent(a, k -> new TreeMap<>())
            .computeIfAbsent(b, k -> new ArrayList<>()).addAll(uses);
      }
    }));
    return folded;
  }

  Set<String> packages() {
    return packages;
  }

  /** Every use in {@code from} of a name in package {@code to}; empty when there is none. */
  List<Use> uses(String from, String to) {
    return edges.getOrDefault(from, Map.of()).getOrDefault(to, List.of());
  }

  /** Every edge as from → to → uses. */
  Map<String, Map<String, List<Use>>> edges() {
    return edges;
  }

  /**
   * The cycles among packages, one per strongly connected component of more than one package,
   * each described with the uses that close it; edges {@code skip} accepts are left out.
   */
  List<String> cycles(BiPredicate<String, String> skip) {
    Map<String, List<String>> next = new TreeMap<>();
    edges.forEach((from, tos) -> tos.keySet().stream().filter(to -> !skip.test(from, to))
        .forEach(to -> next.computeIfAbsent(from, k -> new ArrayList<>()).add(to)));
    List<String> out = new ArrayList<>();
    for (Set<String> component : components(next)) {
      StringBuilder text = new StringBuilder("cycle among ").append(component).append(':');
      for (String from : component) {
        for (String to : next.getOrDefault(from, List.of())) {
          if (component.contains(to)) {
            text.append("\n  ").append(from).append(" -> ").append(to).append(" in ");
            text.append(uses(from, to).stream().map(u -> u.file() + " (" + u.name() + ")")
                .distinct().limit(4).toList());
          }
        }
      }
      out.add(text.toString());
    }
    return out;
  }

  /** The package a dotted name belongs to: its longest prefix that is a known package. */
  String packageOf(String name) {
    String candidate = name;
    while (candidate.indexOf('.') > 0) {
      if (packages.contains(candidate)) {
        return candidate;
      }
      candidate = candidate.substring(0, candidate.lastIndexOf('.'));
    }
    return null;
  }

  /** Every {@code dev.dagflow} name used in {@code text}, outside comments and literals. */
  static List<String> names(String text) {
    Matcher m = NAME.matcher(code(text));
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  /** Every {@code .java} file under {@code root} with its text; empty if there is no root. */
  static Map<Path, String> read(Path root) {
    Map<Path, String> sources = new TreeMap<>();
    if (!Files.isDirectory(root)) {
      return sources;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        sources.put(file, Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sources;
  }

  /** {@code text} with comments, string, text-block and char literals blanked out. */
  private static String code(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        out.append(' ');
      } else if (text.startsWith("\"\"\"", i)) {
        int end = text.indexOf("\"\"\"", i + 3);
        i = end < 0 ? n : end + 3;
        out.append("\"\"");
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < n && text.charAt(i) != c) {
          i += text.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
        out.append(c).append(c);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Strongly connected components of more than one node (Tarjan, iterative). */
  private static List<Set<String>> components(Map<String, List<String>> next) {
    Set<String> nodes = new TreeSet<>(next.keySet());
    next.values().forEach(nodes::addAll);
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> result = new ArrayList<>();
    for (String start : nodes) {
      if (index.containsKey(start)) {
        continue;
      }
      Deque<Object[]> work = new ArrayDeque<>(); // {node, position in its successor list}
      work.push(new Object[] {start, 0});
      index.put(start, index.size());
      low.put(start, index.get(start));
      stack.push(start);
      onStack.add(start);
      while (!work.isEmpty()) {
        Object[] frame = work.peek();
        String v = (String) frame[0];
        List<String> succ = next.getOrDefault(v, List.of());
        int k = (Integer) frame[1];
        if (k < succ.size()) {
          frame[1] = k + 1;
          String w = succ.get(k);
          if (!index.containsKey(w)) {
            index.put(w, index.size());
            low.put(w, index.get(w));
            stack.push(w);
            onStack.add(w);
            work.push(new Object[] {w, 0});
          } else if (onStack.contains(w)) {
            low.put(v, Math.min(low.get(v), index.get(w)));
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          String parent = (String) work.peek()[0];
          low.put(parent, Math.min(low.get(parent), low.get(v)));
        }
        if (low.get(v).equals(index.get(v))) {
          Set<String> component = new TreeSet<>();
          String w;
          do {
            w = stack.pop();
            onStack.remove(w);
            component.add(w);
          } while (!w.equals(v));
          if (component.size() > 1) {
            result.add(component);
          }
        }
      }
    }
    return result;
  }
}
