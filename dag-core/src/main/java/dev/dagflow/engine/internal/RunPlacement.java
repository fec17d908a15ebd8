package dev.dagflow.engine.internal;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagScope;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.engine.InvalidSubmitRequestException;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.InvalidDagException;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.store.PolicyStore;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a run belongs and runs: its project and its scope (hence its worker key and its policy
 * chain). The one rule that submit, triggers and {@code PolicyCenter.effective} all use, so that
 * what {@code effective} reports is what a run does:
 *
 * <ul>
 *   <li>project: the template's, else the spec's project scope, else the project of the trigger
 *       or event that starts it, else none;
 *   <li>scope: the spec's, unless it is global and the run has a project: then that project's
 *       shared scope ({@code worker-project-{id}}). A global scope is the default of every spec
 *       and all the seed formats read, so it cannot mean "keep this project's run off its pool".
 * </ul>
 *
 * Immutable.
 */
final class RunPlacement {
  final DagSpec spec;
  final Optional<String> project;
  final String projectSource;
  final DagScope scope;
  final String scopeSource;

  private RunPlacement(DagSpec spec, Optional<String> project, String projectSource) {
    this.spec = spec;
    this.project = project;
    this.projectSource = projectSource;
    DagScope own = spec.scope();
    if (own.kind() == DagScope.Kind.GLOBAL && project.isPresent()) {
      scope = DagScope.project(project.get(), true);
      scopeSource = "the run's project (the DAG's scope is global)";
    } else {
      scope = own;
      scopeSource = "the DAG's scope";
    }
  }

  /**
   * This placement with its spec limited to {@code targets} (its own targets when empty).
   *
   * @throws InvalidSubmitRequestException naming {@code targets} for a target that is no node
   */
  RunPlacement withTargets(List<String> targets) {
    if (targets.isEmpty() || targets.equals(spec.targets())) {
      return this;
    }
    DagSpec limited;
    try {
      limited = spec.toBuilder().targets(targets).build();
    } catch (InvalidDagException e) {
      throw new InvalidSubmitRequestException("targets", e.problems().stream()
          .map(SpecProblem::message).collect(Collectors.joining("; ")));
    }
    return new RunPlacement(limited, project, projectSource);
  }

  /** A run of {@code spec} submitted as it is. */
  static RunPlacement ofSpec(DagSpec spec) {
    return of(spec, Optional.empty(), Optional.empty(), "");
  }

  /** A run of {@code template} submitted by name. */
  static RunPlacement ofTemplate(DagTemplate template) {
    return of(template.spec(), Optional.of(template), Optional.empty(), "");
  }

  /** A run of {@code template} started by trigger {@code t} for {@code event}. */
  static RunPlacement ofTrigger(DagTemplate template, EventTrigger t, Event event) {
    return t.project().isPresent()
        ? of(template.spec(), Optional.of(template), t.project(), "trigger '" + t.id() + "'")
        : of(template.spec(), Optional.of(template), event.project(),
            "event '" + event.id() + "'");
  }

  /** A run of {@code template} started by schedule {@code s}. */
  static RunPlacement ofSchedule(DagTemplate template, Schedule s) {
    return of(template.spec(), Optional.of(template), s.project(), "schedule '" + s.id() + "'");
  }

  /**
   * A run of {@code spec}, maybe from {@code template}, started where {@code startedIn} (a
   * trigger's or an event's project, described by {@code startedInSource}) may give it a project.
   */
  private static RunPlacement of(DagSpec spec, Optional<DagTemplate> template,
      Optional<String> startedIn, String startedInSource) {
    Optional<String> fromTemplate = template.flatMap(DagTemplate::project);
    if (fromTemplate.isPresent()) {
      DagTemplate t = template.get();
      return new RunPlacement(spec, fromTemplate,
          "template '" + t.name() + "' v" + t.version());
    }
    DagScope scope = spec.scope();
    if (scope.kind() == DagScope.Kind.PROJECT) {
      return new RunPlacement(spec, scope.id(), "the DAG's scope");
    }
    if (startedIn.isPresent()) {
      return new RunPlacement(spec, startedIn, startedInSource);
    }
    return new RunPlacement(spec, Optional.empty(), "none");
  }

  /** The worker key of run {@code runId}; a project that does not reuse workers has one per run. */
  String workerKey(String runId) {
    return scope.kind() == DagScope.Kind.PROJECT && !scope.reuseWorker()
        ? scope.workerKey() + "-run-" + runId : scope.workerKey();
  }

  /**
   * The policies of the run.
   *
   * @throws dev.dagflow.policy.UnknownPolicyException if the spec names a policy that does not
   *     exist
   */
  RunPolicy policy(PolicyStore store, ExecutionPolicy engineDefault) {
    return RunPolicy.resolve(spec, project, store, engineDefault);
  }
}
