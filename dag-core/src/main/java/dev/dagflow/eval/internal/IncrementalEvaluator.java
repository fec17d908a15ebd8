package dev.dagflow.eval.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.dagflow.eval.DependencyEvaluator;
import dev.dagflow.eval.RunEvaluation;
import dev.dagflow.eval.TransitionListener;
import dev.dagflow.spec.DagSpec;
import java.time.Instant;
import java.util.Objects;

/**
 * The default {@link DependencyEvaluator}. Compiles each spec once into a {@link Plan}, cached by
 * spec identity (weak keys, so a spec no longer used is not held), and starts an {@link
 * IncrementalRun} per run. Thread-safe.
 */
public final class IncrementalEvaluator implements DependencyEvaluator {
  public static final IncrementalEvaluator INSTANCE = new IncrementalEvaluator();

  private final Cache<DagSpec, Plan> plans =
      CacheBuilder.newBuilder().weakKeys().maximumSize(256).build();

  private IncrementalEvaluator() {}

  @Override
  public RunEvaluation newRun(DagSpec spec, ObjectNode params, Instant startTime,
      TransitionListener listener) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(listener, "listener");
    Plan plan = plans.getIfPresent(spec);
    if (plan == null) {
      plan = new Plan(spec); // two threads may both compile a new spec; either plan will do
      plans.put(spec, plan);
    }
    return new IncrementalRun(spec, plan, params, startTime, listener);
  }
}
