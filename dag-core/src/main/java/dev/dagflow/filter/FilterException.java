package dev.dagflow.filter;

import dev.dagflow.DagflowException;
import java.util.Objects;

/**
 * A filter is not valid: it is not a JSON object, is not well-formed JSON, or has a bad key,
 * operator or operand. Carries where in the filter the problem is, as a path such as {@code
 * payload.port.$gt}, {@code $or[1].status} or {@code asset.type.$in[2]}; the message starts with
 * that path.
 *
 * <p>Thrown when a filter is parsed, never when one is evaluated.
 */
public class FilterException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String problem;

  /**
   * Creates the exception.
   *
   * @param path where in the filter the problem is; empty for the filter as a whole
   * @param problem what is wrong, for people
   */
  public FilterException(String path, String problem) {
    this(path, problem, null);
  }

  /** Creates the exception with the low-level cause, such as a JSON parser's error. */
  public FilterException(String path, String problem, Throwable cause) {
    super(format(path, problem), cause);
    this.path = path;
    this.problem = problem;
  }

  private static String format(String path, String problem) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(problem, "problem");
    return path.isEmpty() ? problem : path + ": " + problem;
  }

  /**
   * Where in the filter the problem is: dotted document paths and operators, with combinator
   * branches indexed ({@code $and[0].a.$regex}); empty for the filter as a whole.
   */
  public String path() {
    return path;
  }

  /** What is wrong, without the path. */
  public String problem() {
    return problem;
  }
}
