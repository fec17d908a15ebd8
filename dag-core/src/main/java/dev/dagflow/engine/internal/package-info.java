/**
 * The engine's implementation: one {@code ActiveRun} per run driving its evaluation under the
 * run's lock, worker pools per scope key, guarded calls into host code, placement, policies,
 * templates and triggers wired to the stores, views built from the store. {@code EngineConfig}
 * is its one entry, used by {@code DagEngine.Builder}; an {@code Engine} exists only built from
 * it. Not API: nothing here may be used outside {@code dev.dagflow.engine} and this package.
 */
package dev.dagflow.engine.internal;
