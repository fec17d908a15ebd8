package dev.dagflow.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.dagflow.json.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the code in README.md and docs/ true: every {@code java} block must appear,
 * whitespace-normalised, inside a {@code // docs:start} … {@code // docs:end} (or the README's
 * {@code // readme:start} … {@code // readme:end}) region of a test source of some module, where
 * it is compiled and run; every {@code json} block must be strict JSON.
 */
class DocsExamplesTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern FENCE =
      Pattern.compile("(?m)^```(\\w*)\\n(.*?)^```", Pattern.DOTALL);
  private static final Pattern REGION = Pattern.compile(
      "(?m)^\\s*//\\s*(?:docs|readme):start\\b[^\\n]*$(.*?)^\\s*//\\s*(?:docs|readme):end",
      Pattern.DOTALL);
  /** Closing lines a page shows after the region ends, such as the end of a try block. */
  private static final Pattern CLOSERS = Pattern.compile("(?s)(\\s*[})\\];]+)+\\s*$");

  record Block(Path file, int line, String language, String text) {
    @Override
    public String toString() {
      return ROOT.relativize(file) + ":" + line + " (" + language + ")";
    }
  }

  @Test
  void everyJavaBlockIsCompiledByATest() throws IOException {
    List<String> regions = new ArrayList<>();
    // the tests of every module: a page may show another module's API (docs/jdbc.md)
    List<Path> testRoots;
    try (Stream<Path> modules = Files.list(ROOT)) {
      testRoots = modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory)
          .sorted().toList();
    }
    for (Path testRoot : testRoots) {
      try (Stream<Path> sources = Files.walk(testRoot)) {
        sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
          Matcher m = REGION.matcher(read(p));
          while (m.find()) {
            regions.add(normalize(m.group(1)));
          }
        });
      }
    }
    List<Block> java = blocks().stream().filter(b -> b.language().equals("java")).toList();

    assertThat(java).as("java blocks in README.md and docs/").isNotEmpty();
    assertThat(java).allSatisfy(block -> assertThat(regions)
        .as("%s is not inside a // docs:start region of any test:%n%s", block, block.text())
        .anyMatch(region -> region.contains(normalize(withoutClosers(block.text())))));
  }

  @Test
  void everyJsonBlockIsStrictJson() throws IOException {
    List<Block> json = blocks().stream().filter(b -> b.language().equals("json")).toList();

    assertThat(json).isNotEmpty();
    assertThat(json).allSatisfy(block -> {
      try {
        Json.MAPPER.readTree(block.text());
      } catch (JsonProcessingException e) {
        throw new AssertionError(block + " is not JSON: " + e.getOriginalMessage(), e);
      }
    });
  }

  @Test
  void everyBlockSaysItsLanguage() throws IOException {
    assertThat(blocks()).allSatisfy(block -> assertThat(block.language())
        .as("%s: say java, json, text or bash after the fence", block).isNotEmpty());
  }

  static List<Block> blocks() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<Block> blocks = new ArrayList<>();
    for (Path page : pages) {
      String text = read(page);
      Matcher m = FENCE.matcher(text);
      while (m.find()) {
        int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
        blocks.add(new Block(page, line, m.group(1), m.group(2)));
      }
    }
    return blocks;
  }

  /** The text of the block that follows the line containing {@code marker} in a page. */
  static String blockAfter(String page, String marker) throws IOException {
    Path file = ROOT.resolve(page);
    int at = read(file).indexOf(marker);
    assertThat(at).as("%s in %s", marker, page).isNotNegative();
    return blocks().stream()
        .filter(b -> b.file().equals(file))
        .filter(b -> read(file).indexOf("```" + b.language() + "\n" + b.text()) > at)
        .findFirst().orElseThrow().text();
  }

  private static String withoutClosers(String code) {
    return CLOSERS.matcher(code).replaceFirst("");
  }

  private static String normalize(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
