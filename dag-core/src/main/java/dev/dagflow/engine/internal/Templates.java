package dev.dagflow.engine.internal;

import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.store.TemplateStore;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.template.InvalidTemplateException;
import dev.dagflow.template.TemplateCatalog;
import dev.dagflow.template.UnknownTemplateException;
import dev.dagflow.schedule.InvalidScheduleException;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.InvalidTriggerException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The engine's {@link TemplateCatalog}, over its template store. */
final class Templates implements TemplateCatalog {
  private final TemplateStore store;
  private final RunServices services;

  Templates(TemplateStore store, RunServices services) {
    this.store = store;
    this.services = services;
  }

  @Override
  public DagTemplate save(String name, Optional<String> project, DagSpec spec) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(spec, "spec");
    services.checkTaskTypes(spec);
    if (project.isEmpty() && spec.scope().kind() == DagScope.Kind.PROJECT) {
      throw new InvalidTemplateException(name, "a global template may be used from every "
          + "project, so its DAG may not run in project '" + spec.scope().id().orElseThrow()
          + "'; save it with that project");
    }
    if (project.isPresent() && spec.scope().kind() == DagScope.Kind.PROJECT
        && !spec.scope().id().equals(project)) {
      throw new InvalidTemplateException(name, "its DAG runs in project '"
          + spec.scope().id().orElseThrow() + "', not in the template's project '"
          + project.get() + "'");
    }
    Optional<String> current = store.latest(name).map(DagTemplate::project).orElse(project);
    if (!current.equals(project)) { // the store refuses it too; this is the same refusal, early
      throw InvalidTemplateException.cannotMove(name, current, project);
    }
    return store.save(name, project, spec, services.time().now());
  }

  @Override
  public Optional<DagTemplate> latest(String name) {
    return store.latest(Objects.requireNonNull(name, "name"));
  }

  @Override
  public Optional<DagTemplate> get(String name, int version) {
    return store.get(Objects.requireNonNull(name, "name"), version);
  }

  @Override
  public List<DagTemplate> versions(String name) {
    return store.versions(Objects.requireNonNull(name, "name"));
  }

  @Override
  public List<DagTemplate> list() {
    return store.list();
  }

  @Override
  public boolean delete(String name) {
    return store.delete(Objects.requireNonNull(name, "name"));
  }

  /**
   * Checks the template {@code trigger} starts: it exists, and it is global or of the trigger's
   * own project (a global trigger fires on every project's events, so a project template would
   * fail on all the others').
   *
   * @throws UnknownTemplateException if there is no such template or version
   * @throws InvalidTriggerException naming the field {@code template} otherwise
   */
  void checkTarget(EventTrigger trigger) {
    String name = trigger.templateName();
    DagTemplate t = find(name, trigger.templateVersion());
    if (t.project().isPresent() && !t.project().equals(trigger.project())) {
      String project = t.project().get();
      throw new InvalidTriggerException("template", trigger.project()
          .map(p -> "trigger '" + trigger.id() + "' of project '" + p + "' may not start template '"
              + name + "' of project '" + project + "'")
          .orElse("global trigger '" + trigger.id() + "' may not start template '" + name
              + "' of project '" + project + "': it would fail on every other project's event; "
              + "save the trigger in project '" + project + "'"));
    }
  }

  /**
   * Checks the template {@code schedule} starts: it exists, and it is global or of the
   * schedule's own project.
   *
   * @throws UnknownTemplateException if there is no such template or version
   * @throws InvalidScheduleException naming the field {@code template} otherwise
   */
  void checkTarget(Schedule schedule) {
    String name = schedule.templateName();
    DagTemplate t = find(name, schedule.templateVersion());
    if (t.project().isPresent() && !t.project().equals(schedule.project())) {
      throw new InvalidScheduleException("template", schedule.project()
          .map(p -> "schedule '" + schedule.id() + "' of project '" + p + "'")
          .orElse("global schedule '" + schedule.id() + "'") + " may not start template '"
          + name + "' of project '" + t.project().get() + "'");
    }
  }

  private DagTemplate find(String name, Optional<Integer> version) {
    return (version.isPresent() ? store.get(name, version.get()) : store.latest(name))
        .orElseThrow(() -> new UnknownTemplateException(name, version));
  }

  /**
   * The template to start a run from.
   *
   * @param version empty for the latest
   * @param project the project asking, if any: a project template serves only its own project
   */
  DagTemplate resolve(String name, Optional<Integer> version, Optional<String> project) {
    DagTemplate t = find(name, version);
    if (t.project().isPresent() && project.isPresent() && !t.project().equals(project)) {
      throw new InvalidTemplateException(name, "it belongs to project '"
          + t.project().get() + "', not to '" + project.get() + "'");
    }
    return t;
  }
}
