/**
 * The engine: {@link dev.dagflow.engine.DagEngine}, the facade host services use to run DAGs,
 * and the SPIs through which they plug in how nodes execute ({@link
 * dev.dagflow.engine.NodeExecutor}, {@link dev.dagflow.engine.TaskHandler}) and how time passes
 * ({@link dev.dagflow.engine.TimeSource}). Implementation details live in
 * {@code dev.dagflow.engine.internal}.
 */
package dev.dagflow.engine;
