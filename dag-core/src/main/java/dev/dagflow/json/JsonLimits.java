package dev.dagflow.json;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.json.internal.Json;
import java.util.Objects;

/**
 * The limits every JSON document and value dagflow accepts must meet, whether it comes as text
 * or as a Jackson tree, so that whatever is accepted can be written and read back in every
 * format: DAG JSON, the event document, and what stores and the HTTP API write. They are the
 * constraints of dagflow's own JSON reader and writer; a module reading or writing dagflow's
 * documents configures its Jackson factory with {@link #readConstraints()} and {@link
 * #writeConstraints()}, and checks a tree handed in by its caller with {@link #check}.
 *
 * <p>Free JSON (a node's config, a DAG's metadata, activation and edge conditions, event
 * payloads, run parameters, node results) is checked at the depth where it sits in its
 * document, so that the document as a whole stays within {@link #MAX_DEPTH}: a node's config
 * in DAG JSON sits 3 levels down ({@code {"nodes": [{"config": …}]}}) and may itself nest
 * 997 levels. The depths are listed in {@code docs/json-format.md}. Its numbers are kept as
 * integers or doubles, so a decimal no double holds is refused: beyond a double's range
 * ({@code 1e400}), or non-zero but below the smallest double ({@code 1e-400}, which would
 * become 0). A filter keeps its numbers exactly and may hold both.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonLimits {
  /**
   * The deepest nesting of arrays and objects in a document, the top-level value counting as
   * level 1: Jackson's own default, deep enough for any real configuration and shallow enough
   * that recursive code over a tree cannot overflow a thread's stack.
   */
  public static final int MAX_DEPTH = 1000;

  /**
   * The most digits in a number: those of an integer, or of a decimal's integer part, fraction
   * and exponent together, as Jackson counts them in text ({@code 1.5E-400} has 5). Jackson's
   * default, and what keeps arithmetic on numbers linear: longer ones cost quadratic time to
   * convert and compare.
   */
  public static final int MAX_NUMBER_LENGTH = 1000;

  /** The most characters in an object key: Jackson's default. */
  public static final int MAX_KEY_LENGTH = 50_000;

  /** The most characters in a string value: Jackson's default. */
  public static final int MAX_STRING_LENGTH = 20_000_000;

  /**
   * The most characters (or bytes, for byte input) in a document read as text: 256 MiB, room
   * for the largest DAG allowed (1,000,000 nodes at about a hundred characters each) while
   * bounding what one read may hold in memory. It applies to text only: a tree or a spec built
   * in Java is bounded by its values' limits, not measured as a whole. Event payloads have
   * their own, smaller limit.
   */
  public static final long MAX_DOCUMENT_LENGTH = 256L * 1024 * 1024;

  private JsonLimits() {}

  /** The read constraints of dagflow's JSON reader, for a module's own Jackson factory. */
  public static StreamReadConstraints readConstraints() {
    return StreamReadConstraints.builder()
        .maxNestingDepth(MAX_DEPTH)
        .maxNumberLength(MAX_NUMBER_LENGTH)
        .maxNameLength(MAX_KEY_LENGTH)
        .maxStringLength(MAX_STRING_LENGTH)
        .maxDocumentLength(MAX_DOCUMENT_LENGTH)
        .build();
  }

  /** The write constraints of dagflow's JSON writer, for a module's own Jackson factory. */
  public static StreamWriteConstraints writeConstraints() {
    return StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build();
  }

  /**
   * Checks a JSON value that will sit {@code depth} levels down in its document (0 for a whole
   * document, 1 for a field of the top-level object, …) as free JSON: every limit above, that
   * it is JSON, which NaN, infinities, nodes wrapping Java objects and {@code MissingNode}s are
   * not, and that each decimal has a double ({@code 1e400} and {@code 1e-400} have none). It
   * refuses exactly what dagflow's entry points for free JSON refuse (config, metadata,
   * conditions, event payloads, params, results). A filter, which may hold such decimals, is
   * checked by {@code Filter.parse}. Linear in the size of the value, whatever the exponents
   * of its numbers; stops at the first problem.
   *
   * @param path the place of the value, such as {@code params}; the exception extends it
   * @throws InvalidJsonException naming the path of the first offending value
   * @throws IllegalArgumentException if {@code depth} is negative
   */
  public static void check(JsonNode value, String path, int depth) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(path, "path");
    if (depth < 0) {
      throw new IllegalArgumentException("depth must not be negative, was " + depth);
    }
    Json.check(value, path, depth);
  }
}
