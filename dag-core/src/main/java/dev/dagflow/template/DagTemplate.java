package dev.dagflow.template;

import dev.dagflow.internal.Ids;
import dev.dagflow.spec.DagSpec;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a stored template: a {@link DagSpec} under a name, in the scope of one project
 * or global. Saving a changed spec under the same name makes the next version; see
 * {@link dev.dagflow.store.TemplateStore#save}.
 *
 * <p>Immutable and thread-safe. No component is {@code null}.
 *
 * @param name the template's name, matching {@code [A-Za-z0-9_.:-]{1,128}}
 * @param version its version, from 1
 * @param project the project it belongs to; empty for a global template
 * @param spec the spec of this version
 * @param createdAt when this version was saved
 * @throws NullPointerException if a component is {@code null}
 * @throws IllegalArgumentException if the name or project breaks the id rule or the version is
 *     below 1
 */
public record DagTemplate(String name, int version, Optional<String> project, DagSpec spec,
    Instant createdAt) {

  public DagTemplate {
    Ids.check("name", name);
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1, got " + version);
    }
    Objects.requireNonNull(project, "project").ifPresent(p -> Ids.check("project", p));
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  @Override
  public String toString() {
    return "DagTemplate{" + name + " version " + version
        + project.map(p -> " project=" + p).orElse("")
        + ", " + spec + ", " + createdAt + "}";
  }
}
