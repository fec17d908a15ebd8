/**
 * The engine: {@link dev.dagflow.engine.DagEngine}, the facade host services use to run DAGs,
 * built with {@link dev.dagflow.engine.DagEngine#builder()}; the SPIs through which they plug in
 * how nodes execute ({@link dev.dagflow.engine.NodeExecutor}, {@link
 * dev.dagflow.engine.TaskHandler}), how time passes ({@link dev.dagflow.engine.TimeSource}) and
 * what they hear ({@link dev.dagflow.engine.EngineListener}); the requests and views it takes
 * and gives ({@link dev.dagflow.engine.SubmitRequest}, {@link dev.dagflow.engine.RunView}, {@link
 * dev.dagflow.engine.NodeView}) and its exceptions. The implementation lives in {@code
 * dev.dagflow.engine.internal}, reached only by the builder.
 */
package dev.dagflow.engine;
