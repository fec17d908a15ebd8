package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.DagflowException;
import dev.dagflow.filter.Filter;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.OverlapPolicy;
import dev.dagflow.trigger.TriggerExplanation;
import dev.dagflow.trigger.TriggerExplanation.Check;
import dev.dagflow.trigger.TriggerExplanation.Check.Kind;
import dev.dagflow.trigger.TriggerFiring.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes every check {@link Triggers} makes when an event fires a trigger, without acting on any:
 * the answer of {@code triggers().explain(trigger, event)}. Reads the templates and a snapshot
 * of the trigger's overlap state taken by the caller; changes nothing. Stateless.
 */
final class TriggerExplainer {
  private TriggerExplainer() {}

  /**
   * Explains what {@code t} would do with {@code event} now.
   *
   * @param event the event, stamped with a time as emit would
   * @param activeRuns the runs of the trigger with {@code t}'s id still active
   * @param queued the id of the event it has queued, if any
   */
  static TriggerExplanation explain(EventTrigger t, Event event, int maxChainDepth,
      List<String> activeRuns, Optional<String> queued, Templates templates) {
    List<Check> checks = new ArrayList<>(Kind.values().length);
    checks.add(new Check(Kind.ENABLED, t.enabled(), t.enabled() ? "enabled" : "disabled"));
    boolean typeOk = t.eventType().equals(event.type());
    checks.add(new Check(Kind.EVENT_TYPE, typeOk, "listens to " + t.eventType()
        + "; the event is " + event.type()));
    boolean projectOk = t.project().isEmpty() || t.project().equals(event.project());
    checks.add(new Check(Kind.PROJECT, projectOk, t.project().map(p -> "project " + p)
        .orElse("global: sees every project") + "; the event's is "
        + event.project().orElse("none")));
    Filter.Explanation filter = t.filter().explain(event.document());
    checks.add(new Check(Kind.FILTER, filter.matched(), t.filter() + " -> "
        + (filter.matched() ? "match" : "no match")));
    boolean depthOk = event.depth() <= maxChainDepth;
    checks.add(new Check(Kind.CHAIN_DEPTH, depthOk, "depth " + event.depth() + ", the limit is "
        + maxChainDepth));
    Check overlap = overlap(t.overlap(), activeRuns, queued);
    checks.add(overlap);
    Check template = template(t, event, templates);
    checks.add(template);
    Optional<ObjectNode> params;
    try {
      params = Optional.of(t.mapParameters(event));
      checks.add(new Check(Kind.PARAMETERS, true, t.mapping().isEmpty()
          ? "no mapping: the run gets {}" : params.get().toString()));
    } catch (DagflowException missing) {
      params = Optional.empty();
      checks.add(new Check(Kind.PARAMETERS, false, missing.getMessage()));
    }
    Optional<Outcome> outcome = t.enabled() && typeOk && projectOk && filter.matched()
        ? Optional.of(outcome(depthOk, overlap.passed(), t.overlap(),
            template.passed() && params.isPresent()))
        : Optional.empty();
    return new TriggerExplanation(t.id(), event.id(), outcome, checks, filter, params,
        activeRuns);
  }

  /** What emit reports for a matching trigger, deciding in the order it does. */
  private static Outcome outcome(boolean depthOk, boolean overlapOk, OverlapPolicy policy,
      boolean startable) {
    if (!depthOk) {
      return Outcome.CHAIN_LIMIT;
    }
    if (!overlapOk) {
      return policy == OverlapPolicy.SKIP ? Outcome.SKIPPED : Outcome.QUEUED;
    }
    return startable ? Outcome.STARTED : Outcome.FAILED;
  }

  /** Whether the policy lets a run start now: it holds one back only while a run is active. */
  private static Check overlap(OverlapPolicy policy, List<String> active, Optional<String> queued) {
    if (active.isEmpty()) {
      return new Check(Kind.OVERLAP, true, policy + "; no active run");
    }
    String runs = String.join(", ", active);
    return switch (policy) {
      case ALLOW -> new Check(Kind.OVERLAP, true, "ALLOW: runs alongside " + runs);
      case CANCEL_PREVIOUS -> new Check(Kind.OVERLAP, true, "CANCEL_PREVIOUS: would stop " + runs
          + " first");
      case SKIP -> new Check(Kind.OVERLAP, false, "SKIP: its previous run " + runs
          + " is still active");
      case QUEUE_ONE -> new Check(Kind.OVERLAP, false, "QUEUE_ONE: would wait for " + runs
          + queued.map(q -> ", replacing queued event " + q).orElse(""));
    };
  }

  private static Check template(EventTrigger t, Event event, Templates templates) {
    try {
      templates.checkTarget(t); // what save() refuses would never start a run either
      DagTemplate template = templates.resolve(t.templateName(), t.templateVersion(),
          t.project().or(event::project));
      return new Check(Kind.TEMPLATE, true, template.name() + " v" + template.version()
          + (t.templateVersion().isEmpty() ? " (the latest)" : ""));
    } catch (DagflowException e) {
      return new Check(Kind.TEMPLATE, false, e.getMessage());
    }
  }
}
