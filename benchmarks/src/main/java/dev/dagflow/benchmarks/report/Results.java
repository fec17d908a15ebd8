package dev.dagflow.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * The figures of one run of the suite, read from a results directory: every JMH JSON file
 * ({@code -rf json}) and every {@code memory-*.json} that {@code RetainedMemory} wrote. Lookups
 * answer empty when a figure is not there; nothing is estimated. Immutable.
 */
public final class Results {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Measurement> measurements;
  private final List<Memory> memory;

  Results(List<Measurement> measurements, List<Memory> memory) {
    this.measurements = List.copyOf(measurements);
    this.memory = List.copyOf(memory);
  }

  /**
   * Reads every {@code *.json} file directly in {@code dir}, in name order.
   *
   * @throws UncheckedIOException if a file cannot be read or is not JSON
   * @throws IllegalArgumentException if a JSON file is neither JMH's nor RetainedMemory's
   */
  public static Results read(Path dir) {
    List<Measurement> measurements = new ArrayList<>();
    List<Memory> memory = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    for (Path file : files) {
      JsonNode root;
      try {
        root = JSON.readTree(file.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      if (root.isArray()) {
        root.forEach(entry -> measurements.add(Measurement.of(entry, file)));
      } else if (root.has("specBytes")) {
        memory.add(Memory.of(root));
      } else {
        throw new IllegalArgumentException(file + " is neither JMH's JSON nor RetainedMemory's");
      }
    }
    return new Results(measurements, memory);
  }

  /** Every measurement, in file order. */
  public List<Measurement> measurements() {
    return measurements;
  }

  /**
   * The last measurement of {@code benchmark} (the class's simple name, a dot and the method)
   * whose parameters include every one of {@code params}.
   */
  public Optional<Measurement> find(String benchmark, Map<String, String> params) {
    Measurement found = null;
    for (Measurement m : measurements) {
      if (m.benchmark().equals(benchmark) && m.params().entrySet().containsAll(params.entrySet())) {
        found = m;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The retained memory of {@code shape} at {@code n} nodes, if measured. */
  public Optional<Memory> memory(String shape, int n) {
    return memory.stream().filter(m -> m.shape().equals(shape) && m.n() == n)
        .reduce((first, second) -> second);
  }

  /** Whether nothing at all was read. */
  public boolean isEmpty() {
    return measurements.isEmpty() && memory.isEmpty();
  }

  /**
   * One JMH result: {@code benchmark} is {@code Class.method}; the score is the mean in {@code
   * unit} ({@code ms/op}, {@code us/op}, {@code ops/s}…), {@code p99} the 99th percentile where
   * the mode samples, {@code secondary} the auxiliary counters by name.
   */
  public record Measurement(String benchmark, String mode, Map<String, String> params,
      double score, double error, String unit, OptionalDouble p99,
      Map<String, Double> secondary) {

    static Measurement of(JsonNode entry, Path file) {
      String full = entry.path("benchmark").asText();
      String[] parts = full.split("\\.");
      if (parts.length < 2 || !entry.has("primaryMetric")) {
        throw new IllegalArgumentException(file + ": not a JMH result: " + entry);
      }
      String benchmark = parts[parts.length - 2] + "." + parts[parts.length - 1];
      Map<String, String> params = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("params").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        params.put(p.getKey(), p.getValue().asText());
      }
      JsonNode primary = entry.path("primaryMetric");
      JsonNode p99 = primary.path("scorePercentiles").path("99.0");
      Map<String, Double> secondary = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("secondaryMetrics").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> s = it.next();
        secondary.put(s.getKey(), s.getValue().path("score").asDouble(Double.NaN));
      }
      return new Measurement(benchmark, entry.path("mode").asText(),
          Collections.unmodifiableMap(params), primary.path("score").asDouble(Double.NaN),
          primary.path("scoreError").asDouble(Double.NaN), primary.path("scoreUnit").asText(),
          p99.isNumber() ? OptionalDouble.of(p99.asDouble()) : OptionalDouble.empty(),
          Collections.unmodifiableMap(secondary));
    }

    /** The mean time of one operation in ns, empty for a unit it does not know or NaN. */
    public OptionalDouble nanosPerOp() {
      return toNanos(score);
    }

    /** The 99th percentile of one operation in ns, if sampled. */
    public OptionalDouble p99Nanos() {
      return p99.isPresent() ? toNanos(p99.getAsDouble()) : OptionalDouble.empty();
    }

    private OptionalDouble toNanos(double value) {
      if (Double.isNaN(value)) {
        return OptionalDouble.empty();
      }
      switch (unit) {
        case "ns/op":
          return OptionalDouble.of(value);
        case "us/op":
          return OptionalDouble.of(value * 1e3);
        case "ms/op":
          return OptionalDouble.of(value * 1e6);
        case "s/op":
          return OptionalDouble.of(value * 1e9);
        case "ops/s":
          return value > 0 ? OptionalDouble.of(1e9 / value) : OptionalDouble.empty();
        default:
          return OptionalDouble.empty();
      }
    }
  }

  /** What {@code RetainedMemory} measured for one shape and size, in bytes. */
  public record Memory(String shape, int n, long specBytes, long planBytes, long engineBytes,
      long runBytes) {
    static Memory of(JsonNode root) {
      return new Memory(root.path("shape").asText(), root.path("n").asInt(),
          root.path("specBytes").asLong(), root.path("planBytes").asLong(),
          root.path("engineBytes").asLong(), root.path("runBytes").asLong());
    }

    /** All four steps together. */
    public long totalBytes() {
      return specBytes + planBytes + engineBytes + runBytes;
    }
  }
}
