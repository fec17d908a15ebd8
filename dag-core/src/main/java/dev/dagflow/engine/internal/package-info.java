/**
 * The engine's implementation: one {@code ActiveRun} per run driving its evaluation under the
 * run's lock, worker pools per scope key, guarded calls into host code, views built from the
 * store. Not API: nothing here may be used outside dag-core.
 */
package dev.dagflow.engine.internal;
