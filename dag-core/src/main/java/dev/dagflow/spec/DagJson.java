package dev.dagflow.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.JsonLimits;
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
  private static final Reader DEFAULT =
      new Reader(SpecFormat.NATIVE, SpecValidator.DEFAULT_MAX_NODES);

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

    /**
     * Reads a spec from JSON text, which must keep within {@link JsonLimits}.
     *
     * @throws InvalidDagException on any problem; malformed JSON, or JSON beyond a limit, as
     *     {@code MALFORMED_JSON} with the line and column as its path
     */
    public DagSpec read(String json) {
      Objects.requireNonNull(json, "json");
      JsonNode tree;
      try {
        tree = Json.readTree(json);
      } catch (Json.MalformedJsonException e) {
        throw new InvalidDagException(null, List.of(new SpecProblem(
            SpecProblem.Kind.MALFORMED_JSON, null, e.where(),
            "malformed JSON: " + e.getMessage())), e);
      }
      if (tree == null) {
        throw new InvalidDagException(null, List.of(new SpecProblem(
            SpecProblem.Kind.MALFORMED_JSON, null, "", "the document is empty")));
      }
      return readTree(tree);
    }

    /**
     * Reads a spec from a JSON tree, which is not changed. The tree must meet the limits JSON
     * text does ({@link JsonLimits}), so that the spec can be written and read back.
     *
     * @throws InvalidDagException on any problem; a value beyond a limit or that is not JSON
     *     (NaN, a POJO or missing node) as {@code INVALID_VALUE} with its path
     */
    public DagSpec read(JsonNode tree) {
      Objects.requireNonNull(tree, "tree");
      try {
        // numbers as written, as text reads them: each field refuses its own, naming it
        Json.checkExact(tree, "", 0);
      } catch (InvalidJsonException e) {
        throw new InvalidDagException(null, List.of(new SpecProblem(
            SpecProblem.Kind.INVALID_VALUE, null, e.path(), e.problem())), e);
      }
      return readTree(tree);
    }

    private DagSpec readTree(JsonNode tree) {
      return switch (format) {
        case NATIVE -> NativeFormat.read(tree, maxNodes);
        case SCAN -> ScanFormat.read(tree, maxNodes);
        case SIMULATION -> SimulationFormat.read(tree, maxNodes);
      };
    }
  }
}
