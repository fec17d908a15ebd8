package dev.dagflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The package rules of STYLE.md, checked on the sources: no cycle between the ideas of dag-core,
 * public packages reaching their implementation only from their entry points, each idea's
 * {@code internal} package used only by that idea (and the shared homes,
 * {@code dev.dagflow.internal} and {@code dev.dagflow.json.internal}, by anyone), no dag-core
 * {@code internal} package used by another module, and the public engine package reaching its
 * implementation only where it builds it.
 *
 * <p>An idea is a public package with its implementation packages ({@code X.internal} and below;
 * {@code store.memory}, the in-memory implementation of the store SPI). A public type backed by
 * its implementation, as {@code DagEngine.builder()} is by the engine, makes a cycle between a
 * package and its own {@code internal} package that no Java shape without a service loader or
 * reflection avoids; a cycle between two ideas is a design error.
 */
class ArchitectureTest {
  /** The internal package of helpers many ideas share, an idea of its own. */
  static final String SHARED = "dev.dagflow.internal";

  /** The internal packages every idea may use: the shared helpers and the JSON helpers. */
  static final Set<String> SHARED_HOMES = Set.of(SHARED, "dev.dagflow.json.internal");

  /** Implementation packages not named {@code internal}, with the idea they implement. */
  private static final Map<String, String> IMPLEMENTS = Map.of(
      "dev.dagflow.store.memory", "dev.dagflow.store");

  /**
   * Where each public package reaches its own implementation: its entry points. The engine is
   * built by {@code DagEngine.Builder}, the stores made by {@code Stores.inMemory()}, and so on;
   * any other public type doing so is a new edge back into the implementation.
   */
  private static final Map<String, Set<String>> ENTRY_POINTS = Map.of(
      "dev.dagflow.engine", Set.of("dev/dagflow/engine/DagEngine.java"),
      "dev.dagflow.eval", Set.of("dev/dagflow/eval/DependencyEvaluator.java"),
      "dev.dagflow.filter", Set.of("dev/dagflow/filter/Filter.java"),
      "dev.dagflow.json", Set.of("dev/dagflow/json/JsonLimits.java"),
      "dev.dagflow.schedule", Set.of("dev/dagflow/schedule/Schedule.java"),
      "dev.dagflow.spec", Set.of("dev/dagflow/spec/DagJson.java", "dev/dagflow/spec/DagSpec.java",
          "dev/dagflow/spec/NodeSpec.java"),
      "dev.dagflow.store", Set.of("dev/dagflow/store/Stores.java"));

  private static final Path MAIN = Path.of("src/main/java");

  private final SourceGraph core = SourceGraph.of(MAIN);

  @Test
  void noCycleBetweenIdeas() {
    assertThat(core.packages()).as("the scan found dag-core's packages")
        .contains("dev.dagflow.engine", "dev.dagflow.engine.internal", "dev.dagflow.spec");
    assertThat(core.uses("dev.dagflow.engine.internal", "dev.dagflow.engine"))
        .as("the scan sees imports").isNotEmpty();

    List<String> cycles = core.fold(ArchitectureTest::idea).cycles((from, to) -> false);

    assertThat(cycles).as("cycles between ideas (a package with its internal packages)")
        .isEmpty();
  }

  @Test
  void noPackageUsesAnotherIdeasInternals() {
    List<String> violations = new ArrayList<>();
    core.edges().forEach((from, tos) -> tos.forEach((to, uses) -> {
      if (isInternal(to) && !SHARED_HOMES.contains(to) && !idea(to).equals(idea(from))) {
        uses.forEach(u -> violations.add(u.file() + " (" + from + ") uses " + u.name()
            + " from another idea's internal package " + to));
      }
    }));

    assertThat(violations).as("uses of another idea's internal package; move a helper many "
        + "ideas share to " + SHARED_HOMES).isEmpty();
  }

  @Test
  void publicPackagesReachTheirImplementationOnlyFromTheirEntryPoints() {
    List<String> unexpected = new ArrayList<>();
    Map<String, Set<String>> unused = new TreeMap<>();
    ENTRY_POINTS.forEach((pkg, files) -> unused.put(pkg, new TreeSet<>(files)));
    core.edges().forEach((from, tos) -> tos.forEach((to, uses) -> {
      if (idea(from).equals(from) && !to.equals(from) && idea(to).equals(from)) {
        for (SourceGraph.Use u : uses) {
          if (ENTRY_POINTS.getOrDefault(from, Set.of()).contains(u.file())) {
            unused.get(from).remove(u.file());
          } else {
            unexpected.add(u.file() + " (" + from + ") uses its implementation " + u.name()
                + " but is not one of the package's entry points");
          }
        }
      }
    }));
    unused.values().removeIf(Set::isEmpty);

    assertThat(unexpected).as("public types reaching into their implementation").isEmpty();
    assertThat(unused).as("entry points that no longer reach the implementation").isEmpty();
    assertThat(core.uses("dev.dagflow.engine", "dev.dagflow.engine.internal"))
        .as("the engine's builder reaches its implementation through EngineConfig alone")
        .extracting(SourceGraph.Use::name)
        .containsOnly("dev.dagflow.engine.internal.EngineConfig");
  }

  @Test
  void onlyTheMicrometerPackageNeedsMicrometer() throws IOException {
    // an optional dependency: the engine must load and run without the jar
    List<String> users = new ArrayList<>();
    Path home = MAIN.resolve("dev/dagflow/metrics/micrometer");
    try (var files = Files.walk(MAIN)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        if (!f.startsWith(home) && Files.readString(f).contains("io.micrometer")) {
          users.add(MAIN.relativize(f).toString());
        }
      }
    }
    assertThat(users).as("files outside dev.dagflow.metrics.micrometer naming Micrometer")
        .isEmpty();
  }

  @Test
  void theEngineCannotBeConstructedWithoutItsDefaults() throws IOException {
    Path dir = Files.createTempDirectory("outside");
    Path source = dir.resolve("Outside.java");
    Files.writeString(source, """
        package outside;
        import dev.dagflow.engine.internal.Engine;
        import dev.dagflow.engine.internal.EngineConfig;
        class Outside {
          Object engine = new Engine(new EngineConfig());
        }
        """);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    boolean compiled = javac.getTask(errors, null, null, List.of("-d", dir.toString(), "-cp",
            System.getProperty("java.class.path")), null,
        javac.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile()))
        .call();

    assertThat(compiled).as("new Engine(new EngineConfig()) outside engine.internal").isFalse();
    assertThat(errors.toString()).contains(
        "EngineConfig() has private access", "Engine(EngineConfig) is not public");
  }

  @Test
  void otherModulesUseNoInternalPackageOfDagCore() throws IOException {
    List<String> modules = modules(Path.of("../pom.xml"));
    assertThat(modules).as("modules of the parent pom").contains("dag-examples", "benchmarks");

    List<String> violations = new ArrayList<>();
    for (String module : modules) {
      for (String tree : List.of("src/main/java", "src/test/java")) {
        Path root = Path.of("..", module, tree);
        SourceGraph.read(root).forEach((file, text) -> {
          for (String name : SourceGraph.names(text)) {
            String pkg = core.packageOf(name);
            if (pkg != null && isInternal(pkg)) {
              violations.add(module + "/" + tree + "/" + root.relativize(file) + " uses "
                  + name);
            }
          }
        });
      }
    }

    assertThat(violations).as("other modules using dag-core internals").isEmpty();
  }

  @Test
  void aCycleIsReportedWithItsPackagesAndTheFilesThatCloseIt() {
    SourceGraph graph = SourceGraph.ofEdges(Map.of(
        "dev.dagflow.a", List.of("dev.dagflow.b"),
        "dev.dagflow.b", List.of("dev.dagflow.c"),
        "dev.dagflow.c", List.of("dev.dagflow.a", "dev.dagflow.d")));

    List<String> cycles = graph.cycles((from, to) -> false);

    assertThat(cycles).singleElement().asString()
        .startsWith("cycle among [dev.dagflow.a, dev.dagflow.b, dev.dagflow.c]:")
        .contains("dev.dagflow.c -> dev.dagflow.a in "
            + "[dev/dagflow/c/Some.java (dev.dagflow.a.Some)]")
        .doesNotContain("dev.dagflow.d");
    assertThat(graph.cycles((from, to) -> from.equals("dev.dagflow.c"))).isEmpty();
  }

  @Test
  void namesInCommentsAndStringsAreNotDependencies() {
    String source = """
        package dev.dagflow.x;
        import dev.dagflow.y.Y; // dev.dagflow.z.Z
        /** {@link dev.dagflow.w.W} */
        class X { String s = "dev.dagflow.v.V"; char c = '"'; dev.dagflow.u.U u; }
        """;

    assertThat(SourceGraph.names(source))
        .containsExactly("dev.dagflow.x", "dev.dagflow.y.Y", "dev.dagflow.u.U");
  }

  /** The public package a package belongs to: itself, or what its implementation implements. */
  static String idea(String pkg) {
    if (pkg.equals(SHARED) || pkg.startsWith(SHARED + ".")) {
      return SHARED;
    }
    for (Map.Entry<String, String> e : IMPLEMENTS.entrySet()) {
      if (pkg.equals(e.getKey()) || pkg.startsWith(e.getKey() + ".")) {
        return e.getValue();
      }
    }
    int at = pkg.indexOf(".internal");
    while (at >= 0 && at + 9 < pkg.length() && pkg.charAt(at + 9) != '.') {
      at = pkg.indexOf(".internal", at + 1);
    }
    return at < 0 ? pkg : pkg.substring(0, at);
  }

  private static boolean isInternal(String pkg) {
    return !idea(pkg).equals(pkg) || pkg.equals(SHARED);
  }

  private static List<String> modules(Path pom) throws IOException {
    Matcher m = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>").matcher(
        Files.readString(pom));
    List<String> modules = new ArrayList<>();
    while (m.find()) {
      if (!m.group(1).equals("dag-core")) {
        modules.add(m.group(1));
      }
    }
    return modules;
  }
}
