package dev.dagflow.template;

import dev.dagflow.DagflowException;
import java.util.Optional;

/** A template cannot be saved or used as asked: its spec belongs to another project, say. */
public class InvalidTemplateException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String name;

  public InvalidTemplateException(String name, String message) {
    super("template '" + name + "': " + message);
    this.name = name;
  }

  /**
   * The refusal of a save that would move template {@code name} from project {@code from} to
   * {@code to} (empty for global): a template keeps the project it was created in. For stores
   * and catalogs alike.
   */
  public static InvalidTemplateException cannotMove(String name, Optional<String> from,
      Optional<String> to) {
    return new InvalidTemplateException(name, "it belongs to " + describe(from) + ", not "
        + describe(to) + "; a template cannot move (save it under another name)");
  }

  private static String describe(Optional<String> project) {
    return project.map(p -> "project '" + p + "'").orElse("no project (global)");
  }

  public String name() {
    return name;
  }
}
