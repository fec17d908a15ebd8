package dev.dagflow.store.memory;

import dev.dagflow.internal.Ids;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.store.TemplateStore;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.template.InvalidTemplateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory {@link TemplateStore}: per name, an immutable list of its versions, oldest
 * first. Thread-safe: a save replaces a name's list in one atomic {@code compute}, so two saves
 * of one name never make the same version, and readers take the lists without a lock.
 */
final class MemoryTemplateStore implements TemplateStore {
  private final ConcurrentHashMap<String, List<DagTemplate>> byName = new ConcurrentHashMap<>();

  @Override
  public DagTemplate save(String name, Optional<String> project, DagSpec spec, Instant at) {
    Ids.check("name", name);
    Objects.requireNonNull(project, "project").ifPresent(p -> Ids.check("project", p));
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(at, "at");
    DagTemplate[] saved = new DagTemplate[1];
    byName.compute(name, (key, versions) -> {
      if (versions == null) {
        saved[0] = new DagTemplate(name, 1, project, spec, at);
        return List.of(saved[0]);
      }
      DagTemplate latest = versions.get(versions.size() - 1);
      if (!latest.project().equals(project)) {
        throw InvalidTemplateException.cannotMove(name, latest.project(), project);
      }
      if (latest.spec().equals(spec)) {
        saved[0] = latest;
        return versions;
      }
      saved[0] = new DagTemplate(name, latest.version() + 1, project, spec, at);
      List<DagTemplate> next = new ArrayList<>(versions);
      next.add(saved[0]);
      return List.copyOf(next);
    });
    return saved[0];
  }

  @Override
  public Optional<DagTemplate> get(String name, int version) {
    List<DagTemplate> versions = byName.get(Objects.requireNonNull(name, "name"));
    // versions are 1, 2, 3 … in order, and deleting removes all of them
    return versions == null || version < 1 || version > versions.size() ? Optional.empty()
        : Optional.of(versions.get(version - 1));
  }

  @Override
  public Optional<DagTemplate> latest(String name) {
    List<DagTemplate> versions = byName.get(Objects.requireNonNull(name, "name"));
    return versions == null ? Optional.empty()
        : Optional.of(versions.get(versions.size() - 1));
  }

  @Override
  public List<DagTemplate> versions(String name) {
    List<DagTemplate> versions = byName.get(Objects.requireNonNull(name, "name"));
    return versions == null ? List.of() : versions;
  }

  @Override
  public List<DagTemplate> list() {
    List<DagTemplate> out = new ArrayList<>();
    byName.values().forEach(versions -> out.add(versions.get(versions.size() - 1)));
    out.sort(Comparator.comparing(DagTemplate::name));
    return List.copyOf(out);
  }

  @Override
  public boolean delete(String name) {
    return byName.remove(Objects.requireNonNull(name, "name")) != null;
  }

  @Override
  public String toString() {
    return "MemoryTemplateStore{templates=" + byName.size() + "}";
  }
}
