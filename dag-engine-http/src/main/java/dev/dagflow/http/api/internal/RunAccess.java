package dev.dagflow.http.api.internal;

import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.RunView;
import dev.dagflow.engine.UnknownRunException;
import java.util.Optional;

/**
 * Finds the run of a call in the call's project: a run of another project, or of none, is not
 * found, exactly as an unknown id is, so that no id of another project can be told apart.
 */
final class RunAccess {
  private RunAccess() {}

  /** The call's run, checked to belong to its project. @throws ApiException 404 otherwise */
  static RunView run(DagEngine engine, Call call) {
    String runId = call.path("run");
    RunView run;
    try {
      run = engine.get(runId);
    } catch (UnknownRunException e) {
      throw notFound(runId);
    }
    if (!run.project().equals(Optional.of(call.project()))) {
      throw notFound(runId);
    }
    return run;
  }

  /** The call's run, which must have the call's node. @throws ApiException 404 otherwise */
  static RunView node(DagEngine engine, Call call) {
    RunView run = run(engine, call);
    String node = call.path("node");
    if (run.node(node).isEmpty()) {
      throw ApiException.notFound("node '" + Query.cut(node) + "' of run '" + run.runId() + "'");
    }
    return run;
  }

  private static ApiException notFound(String runId) {
    return ApiException.notFound("run '" + Query.cut(runId) + "'");
  }
}
