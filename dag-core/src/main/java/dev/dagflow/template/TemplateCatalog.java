package dev.dagflow.template;

import dev.dagflow.spec.DagSpec;
import java.util.List;
import java.util.Optional;

/**
 * The versioned templates of an engine, reached through {@code DagEngine.templates()}. Saving a
 * changed spec under a name makes its next version; runs keep the full spec they started from,
 * so a new version never changes history. A template belongs to one project or, without one,
 * is global and usable from every project. Thread-safe.
 */
public interface TemplateCatalog {

  /**
   * Saves {@code spec} as template {@code name}: a new version if it differs from the latest.
   *
   * @param project the template's project; empty for a global template
   * @throws dev.dagflow.engine.UnknownTaskTypeException if a node's task type has no executor
   * @throws InvalidTemplateException if the spec's scope is another project's, or the template
   *     exists with another project (a template cannot move)
   */
  DagTemplate save(String name, Optional<String> project, DagSpec spec);

  /** The latest version of {@code name}; empty if there is none. */
  Optional<DagTemplate> latest(String name);

  /** Version {@code version} of {@code name}; empty if there is none. */
  Optional<DagTemplate> get(String name, int version);

  /** Every version of {@code name}, oldest first. */
  List<DagTemplate> versions(String name);

  /** The latest version of every template, by name. */
  List<DagTemplate> list();

  /** Deletes every version of {@code name}; returns whether there was one. */
  boolean delete(String name);
}
