package dev.dagflow.store;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.template.InvalidTemplateException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * SPI: where templates live, by name and version. Saving a changed spec under a name makes its
 * next version; saving the spec of the latest version again changes nothing. A template keeps
 * the project it was created in for all its versions.
 *
 * <p>Implementations are thread-safe: the engine and the host call them from any thread, and
 * two saves of one name never both make the same version. Results are never {@code null}; lists
 * are unmodifiable.
 */
public interface TemplateStore {

  /**
   * Saves {@code spec} as the next version of template {@code name}, or returns the latest
   * version unchanged when its spec equals {@code spec}.
   *
   * @param project the project of the template; empty for a global one
   * @param at the creation time of a new version
   * @return the stored version: version 1 for a new name, latest + 1 for a changed spec
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code name} or the project breaks the id rule
   * @throws InvalidTemplateException if the template exists with another project
   */
  DagTemplate save(String name, Optional<String> project, DagSpec spec, Instant at);

  /** Version {@code version} of template {@code name}; empty if there is none. */
  Optional<DagTemplate> get(String name, int version);

  /** The latest version of template {@code name}; empty if there is none. */
  Optional<DagTemplate> latest(String name);

  /** Every version of template {@code name}, oldest first; empty if there is none. */
  List<DagTemplate> versions(String name);

  /** The latest version of every template, by name. */
  List<DagTemplate> list();

  /**
   * Deletes every version of template {@code name}; returns whether there was one. Saving the
   * name again starts over at version 1.
   */
  boolean delete(String name);
}
