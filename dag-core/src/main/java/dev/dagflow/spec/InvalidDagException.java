package dev.dagflow.spec;

import dev.dagflow.DagflowException;
import dev.dagflow.json.internal.Json;
import java.util.List;
import java.util.Optional;

/**
 * A DAG spec, or the JSON it was read from, is not valid. Carries every problem found, not only
 * the first, each naming the node and the place in the spec it concerns.
 */
public class InvalidDagException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String dagId;
  private final List<SpecProblem> problems;

  /**
   * Creates the exception.
   *
   * @param dagId the DAG's id, or {@code null} when it could not be read
   * @param problems at least one problem
   */
  public InvalidDagException(String dagId, List<SpecProblem> problems) {
    this(dagId, problems, null);
  }

  /** Creates the exception with the low-level cause of the first problem. */
  public InvalidDagException(String dagId, List<SpecProblem> problems, Throwable cause) {
    super(format(dagId, problems), cause);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an InvalidDagException needs at least one problem");
    }
    this.dagId = dagId;
    this.problems = List.copyOf(problems);
  }

  /** The DAG's id, if it was known. */
  public Optional<String> dagId() {
    return Optional.ofNullable(dagId);
  }

  /** Every problem found, in the order found; never empty. */
  public List<SpecProblem> problems() {
    return problems;
  }

  private static final int MAX_LISTED = 50;

  private static String format(String dagId, List<SpecProblem> problems) {
    StringBuilder s = new StringBuilder("invalid DAG");
    if (dagId != null) {
      s.append(" '").append(Json.cut(dagId, 140)).append('\'');
    }
    if (problems.size() == 1) {
      return s.append(": ").append(problems.get(0)).toString();
    }
    s.append(": ").append(problems.size()).append(" problems");
    int listed = Math.min(problems.size(), MAX_LISTED);
    for (int i = 0; i < listed; i++) {
      s.append("\n  - ").append(problems.get(i));
    }
    if (listed < problems.size()) {
      s.append("\n  - … and ").append(problems.size() - listed).append(" more");
    }
    return s.toString();
  }
}
