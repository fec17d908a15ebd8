package dev.dagflow.template;

import dev.dagflow.DagflowException;

/** A template cannot be saved or used as asked: its spec belongs to another project, say. */
public class InvalidTemplateException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String name;

  public InvalidTemplateException(String name, String message) {
    super("template '" + name + "': " + message);
    this.name = name;
  }

  public String name() {
    return name;
  }
}
