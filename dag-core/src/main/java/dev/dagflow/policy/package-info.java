/**
 * Execution policies: reusable sets of retry, timeout, concurrency and failure settings that
 * apply to the runs of a project or of every project. {@link dev.dagflow.policy.ExecutionPolicy}
 * is the value; the engine resolves the policy of each node.
 */
package dev.dagflow.policy;
