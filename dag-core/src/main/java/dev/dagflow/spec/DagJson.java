package dev.dagflow.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.internal.Json;
import dev.dagflow.spec.internal.NativeFormat;
import dev.dagflow.spec.internal.ScanFormat;
import dev.dagflow.spec.internal.SimulationFormat;
import dev.dagflow.spec.internal.SpecValidator;
import java.util.List;
import java.util.Objects;

/**
 * Reads and writes {@link DagSpec}s as JSON. The native format is documented in {@code
 * docs/json-format.md}; a spec written and read back is equal to the original.
 *
 * <p>Every read either returns a valid spec or throws {@link InvalidDagException} naming each bad
 * field and node: malformed JSON, wrong types, unknown fields, missing or null values, too many
 * nodes. No Jackson exception escapes. Thread-safe.
 */
public final class DagJson {
  private static final Reader DEFAULT = new Reader(SpecFormat.NATIVE, SpecValidator.DEFAULT_MAX_NODES);

  private DagJson() {}

  /** Reads a spec in the native format. @throws InvalidDagException on any problem */
  public static DagSpec read(String json) {
    return DEFAULT.read(json);
  }

  /** Reads a spec in the given format. @throws InvalidDagException on any problem */
  public static DagSpec read(String json, SpecFormat format) {
    return DEFAULT.format(format).read(json);
  }

  /** A reader of the native format with the default node limit (1,000,000). */
  public static Reader reader() {
    return DEFAULT;
  }

  /** The spec as pretty-printed JSON in the native format. */
  public static String write(DagSpec spec) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toTree(spec));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** The spec as a JSON tree in the native format; the caller owns the tree. */
  public static ObjectNode toTree(DagSpec spec) {
    return NativeFormat.write(Objects.requireNonNull(spec, "spec"));
  }

  /**
   * Reads specs in one format with one node limit. Immutable and thread-safe: {@link
   * #format(SpecFormat)} and {@link #maxNodes(int)} return new readers.
   */
  public static final class Reader {
    private final SpecFormat format;
    private final int maxNodes;

    private Reader(SpecFormat format, int maxNodes) {
      this.format = format;
      this.maxNodes = maxNodes;
    }

    /** A reader of the given format. */
    public Reader format(SpecFormat format) {
      return new Reader(Objects.requireNonNull(format, "format"), maxNodes);
    }

    /** A reader that refuses specs of more than {@code maxNodes} nodes. */
    public Reader maxNodes(int maxNodes) {
      if (maxNodes < 1) {
        throw new IllegalArgumentException("maxNodes must be >= 1, was " + maxNodes);
      }
      return new Reader(format, maxNodes);
    }

    /** Reads a spec from JSON text. @throws InvalidDagException on any problem */
    public DagSpec read(String json) {
      Objects.requireNonNull(json, "json");
      JsonNode tree;
      try {
        tree = Json.MAPPER.readTree(json);
      } catch (JsonProcessingException e) {
        throw malformed(e);
      }
      if (tree == null || tree.isMissingNode()) {
        throw new InvalidDagException(null, List.of(new SpecProblem(
            SpecProblem.Kind.MALFORMED_JSON, null, "", "the document is empty")));
      }
      return read(tree);
    }

    /** Reads a spec from a JSON tree, which is not changed. @throws InvalidDagException on any problem */
    public DagSpec read(JsonNode tree) {
      Objects.requireNonNull(tree, "tree");
      return switch (format) {
        case NATIVE -> NativeFormat.read(tree, maxNodes);
        case SCAN -> ScanFormat.read(tree, maxNodes);
        case SIMULATION -> SimulationFormat.read(tree, maxNodes);
      };
    }

    private static InvalidDagException malformed(JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
      return new InvalidDagException(null, List.of(new SpecProblem(
          SpecProblem.Kind.MALFORMED_JSON, null, where,
          "malformed JSON: " + e.getOriginalMessage())), e);
    }
  }
}
