package dev.dagflow.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.filter.Filter;
import dev.dagflow.trigger.TriggerFiring.Outcome;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a trigger would do with an event if the event were emitted now, and why: the answer of
 * {@link TriggerRegistry#explain}, for testing a trigger, saved or not, against a sample event.
 * Every check is evaluated and listed, whether or not an earlier one failed, so that one test
 * shows everything to fix.
 *
 * <p>The trigger matches when its {@link Check.Kind#ENABLED ENABLED}, {@link
 * Check.Kind#EVENT_TYPE EVENT_TYPE}, {@link Check.Kind#PROJECT PROJECT} and {@link
 * Check.Kind#FILTER FILTER} checks pass (what {@link EventTrigger#matches} says). Its {@link
 * #outcome()} is then what {@code emit} would report: {@code CHAIN_LIMIT} if the {@link
 * Check.Kind#CHAIN_DEPTH CHAIN_DEPTH} check fails, else {@code SKIPPED} or {@code QUEUED} if the
 * {@link Check.Kind#OVERLAP OVERLAP} check does, else {@code FAILED} if {@link
 * Check.Kind#TEMPLATE TEMPLATE} or {@link Check.Kind#PARAMETERS PARAMETERS} does, else {@code
 * STARTED}. The ids of events the trigger already processed are not consulted: an emit of such
 * an id would be {@code DUPLICATE}. Nor are the template's task types or the policy its spec
 * names: {@code emit} reports {@code FAILED} for a task type without an executor or an unknown
 * policy where this says {@code STARTED}.
 *
 * @param triggerId the trigger tested
 * @param eventId the sample event's id
 * @param outcome what emitting the event now would do; empty when the trigger does not match
 * @param checks every check, in the order of {@link Check.Kind}; unmodifiable
 * @param filter the filter's explanation over the event's {@link Event#document()}
 * @param parameters the run parameters the mapping takes from the event ({@code {}} for no
 *     mapping); empty when a mapped path is missing. A copy on every call
 * @param activeRuns the runs the trigger started that are still active, which its overlap
 *     policy judges; unmodifiable, empty for a trigger never saved
 */
public record TriggerExplanation(String triggerId, String eventId, Optional<Outcome> outcome,
    List<Check> checks, Filter.Explanation filter, Optional<ObjectNode> parameters,
    List<String> activeRuns) {

  private static final Set<Check.Kind> MATCHING = EnumSet.of(Check.Kind.ENABLED,
      Check.Kind.EVENT_TYPE, Check.Kind.PROJECT, Check.Kind.FILTER);

  /**
   * Creates an explanation; lists are copied, the parameters too.
   *
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code outcome} is {@code DUPLICATE}, which a test never
   *     reports
   */
  public TriggerExplanation {
    Objects.requireNonNull(triggerId, "triggerId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(outcome, "outcome");
    if (outcome.isPresent() && outcome.get() == Outcome.DUPLICATE) {
      throw new IllegalArgumentException("a test does not consult processed event ids");
    }
    checks = List.copyOf(checks);
    Objects.requireNonNull(filter, "filter");
    parameters = parameters.map(ObjectNode::deepCopy);
    activeRuns = List.copyOf(activeRuns);
  }

  /** A copy of the mapped run parameters; empty when a mapped path is missing in the event. */
  @Override
  public Optional<ObjectNode> parameters() {
    return parameters.map(ObjectNode::deepCopy);
  }

  /** Whether the trigger matches the event: enabled, of its type and project, filter matched. */
  public boolean matches() {
    for (Check check : checks) {
      if (MATCHING.contains(check.kind()) && !check.passed()) {
        return false;
      }
    }
    return true;
  }

  /** The check of this kind; empty if it was not made. */
  public Optional<Check> check(Check.Kind kind) {
    Objects.requireNonNull(kind, "kind");
    return checks.stream().filter(c -> c.kind() == kind).findFirst();
  }

  /**
   * The verdict, then one line per check and the filter's lines under its check, as in
   *
   * <pre>
   * trigger 'scan-new' on event 'e-1': no match
   *   ENABLED      pass  enabled
   *   EVENT_TYPE   pass  listens to asset_created; the event is asset_created
   *   PROJECT      pass  project acme; the event's is acme
   *   FILTER       FAIL  no match
   *       payload.asset.type: "url" is not one of ["domain","ip"] -> no match
   *   ...
   * </pre>
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("trigger '").append(triggerId).append("' on event '")
        .append(eventId).append("': ").append(verdict());
    for (Check check : checks) {
      s.append("\n  ").append(String.format("%-12s %s  %s", check.kind(),
          check.passed() ? "pass" : "FAIL", check.detail()));
      if (check.kind() == Check.Kind.FILTER) {
        filter.lines().forEach(line -> s.append("\n      ").append(line));
      }
    }
    return s.toString();
  }

  private String verdict() {
    if (outcome.isEmpty()) {
      return "no match";
    }
    return switch (outcome.get()) {
      case STARTED -> "would start a run";
      case FAILED -> "would fail to start a run";
      case SKIPPED -> "would skip the event";
      case QUEUED -> "would queue the event";
      case CHAIN_LIMIT -> "would start nothing: chain depth limit";
      case DUPLICATE -> "duplicate";
    };
  }

  /**
   * One check a trigger makes of an event.
   *
   * @param passed whether the check lets the trigger go on
   * @param detail what was compared, for people; the wording may change
   */
  public record Check(Kind kind, boolean passed, String detail) {

    /** What is checked, in the order a trigger checks it. */
    public enum Kind {
      /** The trigger is enabled. */
      ENABLED,
      /** The event's type is the one the trigger listens to. */
      EVENT_TYPE,
      /** The trigger is global, or the event is of the trigger's project. */
      PROJECT,
      /** The filter matches the event document; {@link TriggerExplanation#filter()} says why. */
      FILTER,
      /** The event is not deeper than the engine's chain depth limit. */
      CHAIN_DEPTH,
      /** The overlap policy would let a run start now, given the trigger's active runs. */
      OVERLAP,
      /** The target template (and version) exists and the project in question may use it. */
      TEMPLATE,
      /** Every mapped path resolves in the event. */
      PARAMETERS
    }

    /**
     * Creates a check.
     *
     * @throws NullPointerException if {@code kind} or {@code detail} is {@code null}
     */
    public Check {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
