package dev.dagflow.template;

import dev.dagflow.DagflowException;
import java.util.Optional;

/** No template has the name (or the version) asked for. */
public class UnknownTemplateException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final Integer version;

  /** @param version the version asked for; empty for the latest */
  public UnknownTemplateException(String name, Optional<Integer> version) {
    super(version.map(v -> "template '" + name + "' has no version " + v)
        .orElse("no template named '" + name + "'"));
    this.name = name;
    this.version = version.orElse(null);
  }

  public String name() {
    return name;
  }

  /** The version asked for; empty for the latest. */
  public Optional<Integer> version() {
    return Optional.ofNullable(version);
  }
}
