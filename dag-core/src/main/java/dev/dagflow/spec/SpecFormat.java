package dev.dagflow.spec;

/** The JSON formats {@link DagJson} reads. */
public enum SpecFormat {
  /** dagflow's own format, the one {@link DagJson#write(DagSpec)} writes; strict. */
  NATIVE,
  /** The scan platform's {@code {"nodes":[{"id","task_type","config","depends_on"}]}}. */
  SCAN,
  /** The simulation platform's {@code nodeId / nodeType / parentId / dependencies} nodes. */
  SIMULATION
}
