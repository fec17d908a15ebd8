package dev.dagflow.json;

import dev.dagflow.DagflowException;
import java.util.Objects;

/**
 * A JSON value breaks one of the {@link JsonLimits} or is not JSON at all (NaN or an infinity,
 * a node wrapping a Java object, a {@code MissingNode} inside a container). Carries the path of
 * the offending value, such as {@code params.targets[3].host}; the message starts with it,
 * cut to a readable length, while {@link #path()} keeps it whole.
 */
public class InvalidJsonException extends DagflowException {
  private static final long serialVersionUID = 1L;
  private static final int SHOWN_PATH = 200;

  private final String path;
  private final String problem;

  /**
   * Creates the exception.
   *
   * @param path where the offending value is; empty for the value as a whole
   * @param problem what is wrong, for people
   */
  public InvalidJsonException(String path, String problem) {
    super(format(path, problem));
    this.path = path;
    this.problem = problem;
  }

  private static String format(String path, String problem) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(problem, "problem");
    if (path.isEmpty()) {
      return problem;
    }
    // cut here, not by the internal helper: the public package reaches its implementation only
    // through JsonLimits
    String shown = path.length() <= SHOWN_PATH ? path
        : path.substring(0, SHOWN_PATH - 3) + "...";
    return shown + ": " + problem;
  }

  /** Where the offending value is, dotted fields and indexes in brackets; may be empty. */
  public String path() {
    return path;
  }

  /** What is wrong, without the path. */
  public String problem() {
    return problem;
  }
}
